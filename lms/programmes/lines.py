"""YAML that remembers lines: every mapping knows the line of itself and of each key, so that a
problem in a programme file is reported at its line.

PyYAML (some 2 MB a worker) is imported when a file is first read, not when the app starts: a
start that finds its content kept (``lms.filecache``) reads no YAML at all."""

import functools


class LineDict(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 1
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _construct_mapping(loader, node):
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    return mapping


@functools.cache
def line_loader() -> type:
    """PyYAML's safe loader whose mappings are ``LineDict``s."""
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return LineLoader
