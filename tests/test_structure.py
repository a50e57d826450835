from dossier.structure import is_heading_line, split_blocks

ARTICLE = """Le rachat de Figma par Adobe abandonné face aux régulateurs
Adobe renonce à son projet de 20 milliards de dollars après des mois d’enquête.
Une Opposition Venue de Bruxelles
La Commission européenne avait exprimé de sérieuses réserves.
« Nous ne voyons pas de voie claire vers une approbation », a déclaré Shantanu Narayen.
"""


def test_title_headings_and_paragraphs():
    blocks = split_blocks(ARTICLE)
    kinds = [(b.kind, ARTICLE[b.start:b.end][:25]) for b in blocks]
    assert kinds[0][0] == "title"
    assert [k for k, _ in kinds] == ["title", "paragraph", "heading", "paragraph", "paragraph"]
    for b in blocks:  # blocks are exact slices without the line break
        assert "\n" not in ARTICLE[b.start:b.end]


def test_heading_rules():
    assert is_heading_line("Contexte de l’offre pendant le sommet mondial sur l’IA")
    assert is_heading_line("Tensions Entre les Deux Leaders")
    assert not is_heading_line("Il a publié un message.")
    assert not is_heading_line("« Non merci »")
    assert not is_heading_line("sans majuscule au début")
    assert not is_heading_line("Une phrase très longue " * 10)


def test_text_without_any_paragraph_is_read_as_paragraphs():
    blocks = split_blocks("Musk Bids For OpenAI\nAltman Says No")
    assert [b.kind for b in blocks] == ["paragraph", "paragraph"]


def test_over_long_line_is_cut_into_bounded_pieces_at_sentence_ends():
    from dossier.structure import MAX_BLOCK_CHARS

    sentence = "Le groupe Veltis a annoncé une hausse de ses ventes à Lyon. "
    text = sentence * 6000  # one line of about 370,000 characters
    blocks = split_blocks(text)
    assert len(blocks) > 1
    assert all(b.end - b.start <= MAX_BLOCK_CHARS for b in blocks)
    assert all(text[b.start:b.end].endswith(".") for b in blocks)
    covered = "".join(text[b.start:b.end] for b in blocks).replace(" ", "")
    assert covered == text.replace(" ", "")


def test_million_character_line_without_spaces_is_still_cut():
    from dossier.structure import MAX_BLOCK_CHARS

    blocks = split_blocks("x" * 1_000_000)
    assert all(b.end - b.start <= MAX_BLOCK_CHARS for b in blocks)
    assert blocks[-1].end == 1_000_000
