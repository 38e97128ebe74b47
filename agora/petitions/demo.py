def load_demo_petitions(*, force: bool = False) -> str:
    return ""
