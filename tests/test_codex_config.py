"""Codex configuration checks across version bands, on real files in temporary homes."""

import pytest

from tests.diagnose import diagnose
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, GUIDE_CONFIG, LEGACY_PROFILE


def good_v2(home):
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)


def good_legacy(home):
    home.config(GOOD_PROVIDER + LEGACY_PROFILE)


@pytest.mark.parametrize("version", ["0.134.0", "0.169.0"])
def test_profile_file_setup_is_healthy_from_0_134(home, version):
    good_v2(home)
    d = diagnose(home, version)
    assert d.codes("error") == [] and d.codes("warning") == []
    assert {"CDX000", "CDX030", "CDX010", "CDX040"} <= set(d.codes("ok"))
    assert d.reaches is True
    assert "provider antseed at http://127.0.0.1:8377/v1 with model mock-model" in \
        d.verdict["because"]


@pytest.mark.parametrize("version", ["0.55.0", "0.100.0", "0.133.0"])
def test_legacy_profile_table_is_healthy_up_to_0_133(home, version):
    good_legacy(home)
    d = diagnose(home, version)
    assert d.codes("error") == []
    assert d.reaches is True


def test_legacy_profile_table_is_fatal_from_0_134_with_the_exact_message(home):
    good_legacy(home)
    d = diagnose(home, "0.169.0")
    assert d.codes("error") == ["CDX032"]
    f = d.finding("CDX032")
    assert "--profile `antseed` cannot be used while" in f["detail"]
    assert f["fix"]["file"]["path"] == "~/.codex/antseed.config.toml"
    assert f["fix"]["file"]["lines"] == ['model = "mock-model"', 'model_provider = "antseed"']
    assert d.reaches is False
    assert d.verdict["headline"].startswith("Codex 0.169.0 will not start with "
                                            "`codex --profile antseed`")


def test_profile_file_is_not_read_up_to_0_133(home):
    good_v2(home)
    d = diagnose(home, "0.133.0")
    assert d.codes("error") == ["CDX039"]
    assert "config profile `antseed` not found" in d.finding("CDX039")["detail"]
    assert d.finding("CDX039")["fix"]["file"]["lines"][0] == "[profiles.antseed]"


def test_missing_profile_file_silently_goes_to_openai(home):
    home.config(GOOD_PROVIDER)
    d = diagnose(home, "0.169.0")
    assert d.codes("error") == ["CDX031"]
    assert d.reaches is False
    assert d.verdict["headline"] == (
        "Codex 0.169.0 → OpenAI, not AntSeed: ~/.codex/antseed.config.toml is missing, "
        "so --profile antseed is silently ignored")
    assert d.verdict["codes"] == ["CDX031"]


def test_guide_config_verbatim_on_current_codex(home):
    home.config(GUIDE_CONFIG)
    d = diagnose(home, "0.169.0")
    assert set(d.codes("error")) == {"CDX032", "CDX012"}
    assert d.finding("CDX012")["fix"]["file"]["lines"] == [
        "[model_providers.antseed]", 'wire_api = "responses"']
    assert d.reaches is False


@pytest.mark.parametrize("version,severity", [
    ("0.66.0", "info"), ("0.72.0", "warning"), ("0.94.0", "warning"),
    ("0.95.0", "error"), ("0.169.0", "error"),
])
def test_wire_api_chat_by_version(home, version, severity):
    home.config('model = "mock-model"\nmodel_provider = "antseed"\n'
                + GOOD_PROVIDER.replace('"responses"', '"chat"') + LEGACY_PROFILE)
    legacy = tuple(map(int, version.split("."))) < (0, 134, 0)
    d = diagnose(home, version, profile="antseed" if legacy else None)
    assert d.finding("CDX012")["severity"] == severity
    if severity != "error":
        assert d.reaches is True


def test_plain_codex_launch_with_top_level_provider(home):
    home.config('model = "mock-model"\nmodel_provider = "antseed"\n' + GOOD_PROVIDER)
    d = diagnose(home, "0.169.0", profile=None)
    assert d.codes("error") == []
    assert d.reaches is True
    assert "`codex` uses provider antseed" in d.verdict["because"]


def test_top_level_profile_selector_is_fatal_from_0_134(home):
    home.config('profile = "antseed"\n' + GOOD_PROVIDER + LEGACY_PROFILE)
    d = diagnose(home, "0.169.0", profile=None)
    assert "CDX033" in d.codes("error")
    assert "legacy `profile = \"antseed\"` config is no longer supported" in \
        d.finding("CDX033")["detail"]
    assert diagnose(home, "0.133.0", profile=None).reaches is True


def test_no_model_provider_means_openai(home):
    home.config(GOOD_PROVIDER)
    d = diagnose(home, "0.169.0", profile=None)
    assert d.codes("error") == ["CDX035"]
    assert d.verdict["headline"].startswith("Codex 0.169.0 → OpenAI, not AntSeed")


def test_model_missing_is_a_warning(home):
    home.config(GOOD_PROVIDER)
    home.profile('model_provider = "antseed"\n')
    d = diagnose(home)
    assert d.codes("warning") == ["CDX037"]


@pytest.mark.parametrize("url,code,severity", [
    ("http://127.0.0.1:8377/v1/responses", "CDX017", "error"),
    ("http://127.0.0.1:8377", "CDX017", "error"),
    ("https://127.0.0.1:8377/v1", "CDX016", "error"),
    ("http://10.1.2.3:8377/v1", "CDX016", "warning"),
    ("http://localhost:9999/v1", "CDX018", "error"),
])
def test_base_url_problems(home, url, code, severity):
    home.config(GOOD_PROVIDER.replace("http://127.0.0.1:{port}/v1", url))
    home.profile(GOOD_PROFILE_FILE)
    d = diagnose(home)
    assert d.finding(code)["severity"] == severity
    assert d.finding(code)["fix"]["file"]["lines"][-1] == 'base_url = "http://127.0.0.1:8377/v1"'


def test_doubled_responses_path_names_the_url_codex_posts(home):
    home.config(GOOD_PROVIDER.replace("/v1", "/v1/responses"))
    home.profile(GOOD_PROFILE_FILE)
    assert "POST /v1/responses/responses" in diagnose(home).finding("CDX017")["title"]


def test_port_comes_from_the_antseed_config(home):
    home.antseed_port(18377)
    good_v2(home)
    d = diagnose(home)
    assert d.finding("CDX018")["title"] == "base_url port 8377 is not the AntSeed proxy port 18377"
    home.config(GOOD_PROVIDER.replace("{port}", "18377"))
    assert diagnose(home).codes("error") == []


def test_antseed_config_env_var_is_honoured(home):
    other = home.write("elsewhere/antseed.json", '{"buyer": {"proxyPort": 19000}}')
    good_v2(home)
    d = diagnose(home, ANTSEED_CONFIG=str(other))
    assert "19000" in d.finding("CDX018")["title"]


def test_env_key_unset_and_set(home):
    home.config(GOOD_PROVIDER + 'env_key = "ANTSEED_TEST_KEY"\n')
    home.profile(GOOD_PROFILE_FILE)
    d = diagnose(home)
    assert d.codes("error") == ["CDX020"]
    assert "Missing environment variable: `ANTSEED_TEST_KEY`" in d.finding("CDX020")["detail"]
    assert diagnose(home, ANTSEED_TEST_KEY="antseed").codes("error") == []


@pytest.mark.parametrize("version,effect", [("0.94.0", "misroutes"),
                                            ("0.169.0", "refuses-to-start")])
def test_reserved_provider_id(home, version, effect):
    home.config('model = "m"\nmodel_provider = "openai"\n'
                '[model_providers.openai]\nname = "x"\nbase_url = "http://127.0.0.1:8377/v1"\n')
    d = diagnose(home, version, profile=None)
    assert d.finding("CDX019")["evidence"]["effect"] == effect
    assert d.reaches is False


def test_provider_without_name(home):
    home.config(GOOD_PROVIDER.replace('name = "AntSeed"\n', ""))
    home.profile(GOOD_PROFILE_FILE)
    assert diagnose(home).codes("error") == ["CDX013"]
    home.config(GOOD_PROVIDER.replace('"AntSeed"', '""'))
    assert diagnose(home).codes("error") == ["CDX013"]
    assert diagnose(home, "0.94.0", profile=None).finding("CDX013")["severity"] == "warning"


def test_provider_table_missing_while_selected_is_fatal(home):
    home.config("")
    home.profile(GOOD_PROFILE_FILE)
    d = diagnose(home)
    f = d.finding("CDX011")
    assert "Model provider `antseed` not found" in f["detail"]
    assert f["evidence"]["effect"] == "refuses-to-start"
    assert f["fix"]["file"]["lines"][0] == "[model_providers.antseed]"


def test_provider_may_live_in_the_profile_file(home):
    home.config("")
    home.profile(GOOD_PROFILE_FILE + GOOD_PROVIDER)
    d = diagnose(home)
    assert d.codes("error") == []
    assert d.reaches is True


def _project(home, trusted=True, git=True):
    project = home.work / "repo"
    (project / "src").mkdir(parents=True)
    if git:
        (project / ".git").mkdir()
    home.write(".codex/config.toml", 'model = "mock-model"\nmodel_provider = "antseed"\n'
               + GOOD_PROVIDER, base=project)
    trust = f'[projects."{project}"]\ntrust_level = "trusted"\n' if trusted else ""
    home.config(trust)
    return project


def test_project_provider_keys_ignored_from_0_129(home):
    project = _project(home)
    d = diagnose(home, "0.169.0", cwd=project / "src")
    f = d.finding("CDX042")
    assert f["severity"] == "error"
    assert "Ignored unsupported project-local config keys" in f["detail"]
    assert f["fix"]["file"]["path"] == "~/.codex/config.toml"
    assert "[model_providers.antseed]" in f["fix"]["file"]["lines"]
    assert d.reaches is False


def test_project_provider_keys_honoured_0_79_to_0_128_when_trusted(home):
    project = _project(home)
    d = diagnose(home, "0.128.0", cwd=project / "src", profile=None)
    assert d.finding("CDX044")["severity"] == "info"
    assert d.reaches is True


def test_untrusted_project_file_is_skipped(home):
    project = _project(home, trusted=False)
    d = diagnose(home, "0.128.0", cwd=project / "src", profile=None)
    assert d.finding("CDX043")["severity"] == "error"
    assert "not trusted" in d.finding("CDX043")["title"]


def test_project_files_not_loaded_up_to_0_77(home):
    project = _project(home)
    d = diagnose(home, "0.77.0", cwd=project, profile=None)
    assert d.finding("CDX041")["severity"] == "error"


def test_project_file_is_a_warning_when_user_config_already_routes(home):
    project = _project(home)
    home.config(f'[projects."{project}"]\ntrust_level = "trusted"\n' + GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)
    d = diagnose(home, "0.169.0", cwd=project)
    assert d.finding("CDX042")["severity"] == "warning"
    assert d.reaches is True


def test_without_git_only_the_cwd_project_file_counts(home):
    project = _project(home, git=False)
    d = diagnose(home, "0.169.0", cwd=project / "src")
    assert "CDX042" not in d.codes()
    assert "CDX040" in d.codes()


def test_codex_home_missing_skips_the_rest(home):
    d = diagnose(home, CODEX_HOME=str(home.root / "nope"))
    assert d.codes("error") == ["CDX001"]
    assert d.status("codex.provider") == "skipped"
    assert d.reaches is False
    assert "mkdir -p" in d.finding("CDX001")["fix"]["commands"][0]


def test_codex_home_from_env_is_used(home):
    elsewhere = home.root / "codexhome"
    elsewhere.mkdir()
    (elsewhere / "config.toml").write_text(GOOD_PROVIDER.replace("{port}", "8377"))
    (elsewhere / "antseed.config.toml").write_text(GOOD_PROFILE_FILE)
    assert diagnose(home, CODEX_HOME=str(elsewhere)).reaches is True
