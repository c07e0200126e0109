"""Search in the wiki's languages in a real browser, on the wiki in English, German, French,
Japanese and Chinese (tests/sites/multilingual): a reader's words find their pages whatever their
inflection, CJK words without spaces find the pages that have them, and the words are marked."""

from __future__ import annotations

import unicodedata

import pytest


@pytest.fixture
def page(browser, served_multilingual):
    opened = browser.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    opened.goto(served_multilingual + "guides/travel/")
    yield opened
    assert errors == []
    opened.close()


def search(page, query: str) -> list[str]:
    """The titles of the results for a query typed into the box, best first."""
    page.fill(".kb-search__input", query)
    page.locator(".kb-search__result").first.wait_for(state="visible")
    return page.locator(".kb-search__result .kb-search__link").all_text_contents()


def marked(page) -> list[str]:
    """The words marked in the first result."""
    return page.locator(".kb-search__result").first.locator("mark").all_text_contents()


@pytest.mark.parametrize(("query", "title", "marks"), [
    # German: the page says Haus, Gebäude, Dienstreise.
    ("Häuser", "Unser Haus in Berlin", ["Haus", "Haus"]),
    ("Gebäuden", "Unser Haus in Berlin", ["Gebäude"]),
    ("Dienstreisen", "Dienstreise beantragen", ["Dienstreise", "Dienstreise"]),
    ("Urlaubsanträge", "Urlaub planen", ["Urlaubsantrag"]),
    # French: inflections, a word without its accents, an elided article.
    ("remboursements", "Notes de frais", ["remboursés", "remboursement"]),
    ("teletravail", "Le télétravail", ["télétravail", "télétravail"]),
    ("hameçonnage", "Sécurité informatique", ["hameçonnage"]),  # d'hameçonnage
    # Japanese: no spaces between words, and two characters are a word; the page says
    # 東京の事務所は新宿駅から…
    ("事務所", "東京オフィスへの行き方", ["事務所"]),
    ("新宿", "東京オフィスへの行き方", ["新宿"]),
    ("経費", "経費精算の手順", ["経費", "経費", "経費"]),
    ("領収書", "経費精算の手順", ["領収書"]),
    ("Kubernetes デプロイ", "Kubernetesへのデプロイ手順", ["Kubernetes", "デプロイ", "Kubernetes", "デプロイ"]),
    # Chinese.
    ("报销", "费用报销流程", ["报销", "报销"]),
    ("会议室", "会议室预订", ["会议室", "会议室", "会议", "会议室"]),
    ("钓鱼邮件", "信息安全须知", ["钓鱼邮件"]),
])
def test_a_word_finds_its_page_in_the_page_s_language(page, query: str, title: str, marks: list[str]) -> None:
    assert search(page, query)[0] == title
    assert marked(page) == marks


def test_a_required_german_word_finds_german_pages(page) -> None:
    """'+Häuser' is 'haus' for the German pages and 'häuser' for the English ones, which no page
    has: the word still finds its page."""
    assert search(page, "+Häuser +Gebäude") == ["Unser Haus in Berlin"]


def test_an_english_word_finds_pages_in_every_language_that_use_it(page) -> None:
    assert set(search(page, "Kubernetes")) == {"Deploying a service", "Kubernetesへのデプロイ手順", "服务部署"}


def test_japanese_and_chinese_characters_are_told_apart(page) -> None:
    # 会議室 (Japanese) and 会议室 (Chinese) share their first character only.
    assert search(page, "会議室")[0] == "会議室の予約"
    assert "会议室预订" not in search(page, "会議室")


@pytest.mark.parametrize(("query", "title", "marks"), [
    # Letters of other scripts on an English page, and İ, whose lower case is an i.
    ("Москва", "Partners abroad", ["Москва"]),
    ("izmir", "Partners abroad", ["İzmir"]),
    ("Αθήνα", "Partners abroad", ["Αθήνα"]),
    # An accented letter at the start of a word is not cut off.
    ("Ōsaka", "Partners abroad", ["Ōsaka"]),
    # The page writes ＡＰＩ in full-width letters, ｶﾀｶﾅ in half-width ones, and café with its
    # accent as a separate mark.
    ("API", "Partners abroad", ["ＡＰＩ"]),
    ("カタカナ", "Partners abroad", ["ｶﾀｶﾅ"]),
    ("café", "Partners abroad", ["café"]),
    # One character of Japanese text is a word too: 税金, 所得税, 住民税, 税込; 新宿駅から.
    ("税", "税金と控除", ["税", "税", "税", "税"]),
    ("駅", "東京オフィスへの行き方", ["駅"]),
    # Latin words between the full-width punctuation of Chinese text.
    ("Terraform", "服务部署", ["Terraform"]),
    ("IaC", "服务部署", ["IaC"]),
])
def test_words_are_found_in_any_script_and_any_unicode_form(page, query: str, title: str, marks: list[str]) -> None:
    titles = search(page, query)
    assert title in titles[:2]  # café: La cafétéria (French, caf) comes first
    result = page.locator(".kb-search__result").nth(titles.index(title))
    assert [unicodedata.normalize("NFC", mark) for mark in result.locator("mark").all_text_contents()] == marks


def test_one_character_of_cjk_text_may_end_a_wildcard(page) -> None:
    assert "東京オフィスへの行き方" in search(page, "東*")
    assert page.locator(".kb-search__notice").is_hidden()


def test_nothing_is_searched_while_an_input_method_composes(page) -> None:
    """Kana typed on the way to 東京 (と, とう, …) are not the reader's words yet."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/search/t/" in request.url else None)
    box = page.locator(".kb-search__input")
    box.focus()
    page.evaluate("""() => {
      const box = document.querySelector('.kb-search__input');
      box.dispatchEvent(new CompositionEvent('compositionstart'));
      for (const text of ['と', 'とう', 'とうき', 'とうきょう']) {
        box.value = text;
        box.dispatchEvent(new InputEvent('input', {isComposing: true, data: text}));
      }
    }""")
    page.wait_for_timeout(600)
    assert fetched == [] and page.locator(".kb-search__result").count() == 0
    page.evaluate("""() => {
      const box = document.querySelector('.kb-search__input');
      box.value = '東京';
      box.dispatchEvent(new InputEvent('input', {isComposing: true, data: '東京'}));
      box.dispatchEvent(new CompositionEvent('compositionend', {data: '東京'}));
    }""")
    page.locator(".kb-search__result").first.wait_for(state="visible")
    assert "東京オフィスへの行き方" in page.locator(".kb-search__result .kb-search__link").all_text_contents()
    assert fetched


def test_a_retry_one_letter_off_keeps_excluded_words_out(page) -> None:
    """'Berln -Tokyo' finds nothing as typed; the retry allows Berln one edit, and the page on
    offices, which says Berlin and Tokyo, stays excluded."""
    titles = search(page, "Berln -Tokyo")
    assert "Unser Haus in Berlin" in titles
    assert "Our offices" not in titles
    assert "one letter off" in page.locator(".kb-search__notice").text_content()
