"""`PageCache.kept_together`: several kept values of several page caches read at once, each
built only when its own cache has none for its generation, language and parts."""

from django.utils import translation

from agora.core.pagecache import PageCache


def test_each_value_is_built_once_until_its_own_cache_starts_a_new_generation():
    first, second = PageCache("test-kept-first"), PageCache("test-kept-second")
    built = []

    def build(name, value):
        def make():
            built.append(name)
            return value

        return make

    def read():
        return PageCache.kept_together(
            {
                "a": (first, build("a", ["rows of a"]), ("7",)),
                "b": (second, build("b", ("rows of b", None)), ("7",)),
                "a elsewhere": (first, build("a elsewhere", []), ("8",)),
            }
        )

    expected = {"a": ["rows of a"], "b": ("rows of b", None), "a elsewhere": []}
    assert read() == expected and sorted(built) == ["a", "a elsewhere", "b"]
    built.clear()
    assert read() == expected and built == []  # all kept, an empty list too

    second.invalidate()
    assert read() == expected and built == ["b"]  # only the changed cache's value
    built.clear()
    with translation.override("es"):
        read()
    assert sorted(built) == ["a", "a elsewhere", "b"]  # kept per language
