"""`python -m coopkg ...` runs the same command line as the `coopkg` script."""

from coopkg.cli import main

if __name__ == "__main__":
    main()
