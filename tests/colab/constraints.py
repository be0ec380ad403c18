"""Print Colab's published pip freeze (tests/data/colab-pip-freeze.txt) as pip constraints.

`make colab` installs the packages the chapters import at exactly Colab's versions, so the
notebooks run against ipywidgets 7.7.1, IPython 7.34, ipykernel 6.17, matplotlib 3.10,
NumPy 2.1 and scikit-learn 1.6 as they do in Colab. Lines that are not `name==version` (Colab's
own tools, wheels given by URL) are left out, and so is torch: Colab's is a CUDA/CPU build of
2.11 for Python 3.13; here the CPU build pinned in requirements.txt stands in for it. So is
setuptools, a build tool that torch 2.13 needs newer than Colab's.
"""

import re
import sys
from pathlib import Path

FREEZE = Path(__file__).resolve().parents[1] / "data" / "colab-pip-freeze.txt"
SKIP = re.compile(r"^(torch|torchaudio|torchvision|torchcodec|torchao|torchdata|torchtune|torchsummary"
                  r"|setuptools|wheel)==", re.I)


def constraints(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", line) and not SKIP.match(line):
            lines.append(line)
    return lines


if __name__ == "__main__":
    sys.stdout.write("\n".join(constraints(FREEZE.read_text())) + "\n")
