from __future__ import annotations

import kg


def test_exported_members_are_small_sorted_and_real() -> None:
    assert kg.__all__ == sorted(kg.__all__)
    assert set(kg.__all__) == {
        "InputError",
        "KGError",
        "KnowledgeGraph",
        "QueryError",
        "RegistryError",
        "ValidationError",
        "__version__",
        "extract",
        "load",
    }
    for name in kg.__all__:
        assert hasattr(kg, name), name


def test_exported_members_errors_share_one_base() -> None:
    for error in (kg.InputError, kg.QueryError, kg.RegistryError, kg.ValidationError):
        assert issubclass(error, kg.KGError)
    assert kg.QueryError.exit_code == 2 and kg.InputError.exit_code == 1
