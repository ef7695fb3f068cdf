from __future__ import annotations

from postmortem_repo.cli import main

if __name__ == "__main__":
    main()
