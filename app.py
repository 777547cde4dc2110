"""`python app.py`: start the RegStudy web app. Composition only: nothing is loaded at import."""


def main() -> int:
    from regstudy.cli import serve_main

    return serve_main()


if __name__ == "__main__":
    raise SystemExit(main())
