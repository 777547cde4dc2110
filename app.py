"""`python app.py`: start the RegStudy web app. Composition only: nothing is loaded at import."""


def main() -> None:
    from regstudy.settings import load_settings
    from regstudy.ui import launch

    launch(load_settings())


if __name__ == "__main__":
    main()
