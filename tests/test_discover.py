from iamlint.discover import discover


def _displays(paths, exclude=()):
    return [c.display for c in discover(paths, exclude)]


def test_walk_skips_vendored_and_generated_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in [
        "a.json",
        "b.yaml",
        "notes.txt",
        ".git/config.json",
        ".terraform/modules/m/x.tf",
        "node_modules/pkg/p.json",
        "cdk.out/asset.1234/policy.json",
        "cdk.out/Stack.template.json",
        "sub/c.tf",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    assert _displays(["."]) == ["a.json", "b.yaml", "cdk.out/Stack.template.json", "sub/c.tf"]
    assert _displays(["."], exclude=["sub/*"]) == [
        "a.json",
        "b.yaml",
        "cdk.out/Stack.template.json",
    ]


def test_explicit_files_are_always_yielded_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "p.json").write_text("{}")
    (tmp_path / "x.json").write_text("{}")
    assert _displays(["node_modules/p.json", "x.json", "."]) == ["node_modules/p.json", "x.json"]
    (candidate,) = discover(["x.json"])
    assert candidate.explicit


def test_paths_outside_the_working_directory_are_absolute(tmp_path, monkeypatch):
    (tmp_path / "p.json").write_text("{}")
    inner = tmp_path / "inner"
    inner.mkdir()
    monkeypatch.chdir(inner)
    assert _displays([str(tmp_path / "p.json")]) == [str(tmp_path / "p.json")]
