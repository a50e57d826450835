"""Print, one per line, the commands of the fenced ``bash`` blocks under the
README's "## Two commands" heading, so CI runs exactly what a newcomer reads."""

import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
for block in re.findall(r"```bash\n(.*?)```", section, re.S):
    print(" ".join(line.strip() for line in block.strip().splitlines()))
