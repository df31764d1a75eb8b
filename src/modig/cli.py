"""The `modig` command: Django's manage.py with Modig's settings and dashed command names.

`modig serve`, `modig demo`, `modig import-roster FILE --municipality CODE` and every other
management command (`modig migrate`, `modig createsuperuser` ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modig.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "modig"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
