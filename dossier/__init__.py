"""dossier: news articles in, the story out."""
