"""The spaCy component contract for stages whose knowledge is data files.

A component names its data files once (`DATA`: config key -> file name in a saved pipeline and the
shipped default). `initialize(…, key=path)` reloads it from other files, `to_disk` copies the files
it was built from into the pipeline folder, and `from_disk` rebuilds it from that copy, so that
`nlp.to_disk(dir)` then `spacy.load(dir)` gives the same readings without the `ontology/` folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from ..resources import ontology_dir

DataFiles = dict[str, tuple[str, Callable[[], Path]]]
"""config key -> (the file's name inside a saved pipeline, where the shipped file or folder is)"""


def shipped(*parts: str) -> Callable[[], Path]:
    """The default location of a data file or folder under `ontology/`."""
    return lambda: ontology_dir().joinpath(*parts)


class DataComponent:
    """Mixin: `initialize`, `to_disk` and `from_disk` for a component built from data files."""

    DATA: ClassVar[DataFiles] = {}
    paths: dict[str, str]

    def build(self, paths: dict[str, str]) -> None:
        """(Re)load the component's knowledge from `paths` ("" for a shipped file)."""
        raise NotImplementedError

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Any = None, **paths: str
    ) -> None:
        """spaCy's initialization: reload from the files given (`[initialize.components.NAME]`)."""
        unknown = sorted(set(paths) - set(self.DATA))
        if unknown:
            raise ValueError(f"unknown data settings {unknown}: use {sorted(self.DATA)}")
        self.paths = {**self.paths, **{key: value for key, value in paths.items() if value}}
        self.build(self.paths)

    def source(self, key: str) -> Path:
        _name, default = self.DATA[key]
        return Path(self.paths.get(key) or default())

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for key, (name, _default) in self.DATA.items():
            source, target = self.source(key), folder / name
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(source, target)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DataComponent:
        folder = Path(path)
        self.paths = {key: str(folder / name) for key, (name, _default) in self.DATA.items()}
        self.build(self.paths)
        return self
