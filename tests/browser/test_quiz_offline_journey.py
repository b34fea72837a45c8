"""Answers given offline are kept in the browser until the server has them: across the end of
the session (log in again, back to the attempt, and they are sent), a server outage (kept and
sent again) and an attempt closed meanwhile (dropped, and the page says which)."""

import sqlalchemy as sa
from playwright.sync_api import BrowserContext, Page, expect

from lms.demo import DEMO_PASSWORD
from lms.extensions import db
from lms.quizzes.models import QuizAttempt, QuizResponse

DEMO_STORY = False
PHONE = {"width": 360, "height": 740}
TRAINEE = "trainee@demo.tugi.ee"


def phone(browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    return context, context.new_page()


def log_in_here(page: Page) -> None:
    """Fill in the login form the page shows."""
    page.get_by_label("Email").fill(TRAINEE)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def start(page: Page, live_server, slug: str) -> int:
    page.goto(f"{live_server.url}/login")
    log_in_here(page)
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/quizzes/{slug}")
    page.locator("form[action$='/start'] [type=submit]").click()
    expect(page.locator("fieldset.question")).to_have_count(7)
    return int(page.url.rsplit("/", 1)[1])


def answer(question) -> str:
    """Give an answer to one question; returns what was chosen or typed."""
    radios, boxes = question.locator("input[type=radio]"), question.locator("input[type=checkbox]")
    if radios.count():
        radios.first.check()
        return radios.first.get_attribute("value")
    if boxes.count():
        boxes.first.check()
        return boxes.first.get_attribute("value")
    if question.locator("select").count():
        for select in question.locator("select").all():
            select.select_option(index=1)
        return "pairs"
    field = question.locator("input[type=text], textarea").first
    field.fill("support")
    return "support"


def queued(page: Page, attempt_id: int) -> int:
    """How many answers wait in the browser's storage."""
    return page.evaluate(
        "id => Object.keys(JSON.parse(localStorage.getItem('tugi-attempt-' + id) || '{}')).length",
        attempt_id,
    )


def wait_until_queued(page: Page, attempt_id: int, count: int) -> None:
    page.wait_for_function(
        "([id, n]) => Object.keys(JSON.parse(localStorage.getItem('tugi-attempt-' + id)"
        " || '{}')).length === n",
        arg=[attempt_id, count],
    )


def saved(live_server, attempt_id: int) -> dict[str, dict]:
    """The answers the server stored, by question key."""
    with live_server.app.app_context():
        rows = db.session.execute(
            sa.select(QuizResponse.question_key, QuizResponse.answer).where(
                QuizResponse.attempt_id == attempt_id
            )
        ).all()
        db.session.remove()
    return dict(rows)


def layout(live_server, attempt_id: int) -> list[str]:
    with live_server.app.app_context():
        keys = [item["key"] for item in db.session.get(QuizAttempt, attempt_id).layout]
        db.session.remove()
    return keys


def test_answers_queued_offline_survive_the_end_of_the_session(browser, live_server, artifacts):
    context, page = phone(browser)
    attempt_id = start(page, live_server, "support-role-02")
    questions = page.locator("fieldset.question")

    context.set_offline(True)
    chosen = {}
    for position, question in enumerate(questions.all()):
        chosen[position] = answer(question)
        expect(question.locator(".question-state")).to_have_attribute("data-state", "offline")
    wait_until_queued(page, attempt_id, 7)
    context.clear_cookies()  # the session ends while the phone is offline
    context.set_offline(False)

    login_notice = page.locator("#save-login")
    expect(login_notice).to_be_visible()
    expect(page.locator(".question-state[data-state=waiting]")).to_have_count(7)
    assert queued(page, attempt_id) == 7
    assert saved(live_server, attempt_id) == {}
    page.screenshot(path=str(artifacts / "quiz-session-ended-phone.png"))

    login_notice.get_by_role("link").click()
    log_in_here(page)
    page.wait_for_url(f"{live_server.url}/quizzes/attempts/{attempt_id}")
    expect(page.locator(".question-state[data-state=saved]")).to_have_count(7)
    wait_until_queued(page, attempt_id, 0)
    expect(login_notice).to_be_hidden()

    stored = saved(live_server, attempt_id)
    keys = layout(live_server, attempt_id)
    assert len(stored) == 7  # none lost
    for position, value in chosen.items():
        answer_given = stored[keys[position]]
        if "choice" in answer_given:
            assert answer_given == {"choice": int(value)}
        elif "choices" in answer_given:
            assert answer_given == {"choices": [int(value)]}
    context.close()


def test_an_outage_keeps_answers_and_a_closed_attempt_says_which_were_not_saved(
    browser, live_server, artifacts
):
    context, page = phone(browser)
    attempt_id = start(page, live_server, "support-role-03")
    questions = page.locator("fieldset.question")

    # The form's token has expired (the session has not): the page fetches a fresh one and the
    # answer goes through.
    refusals = []

    def expired_once(route):
        if refusals:
            route.continue_()
        else:
            refusals.append(route.request.post_data)
            route.fulfill(status=400, json={"error": "The CSRF token has expired."})

    page.route("**/answer", expired_once)
    answer(questions.nth(0))
    expect(questions.nth(0).locator(".question-state")).to_have_attribute("data-state", "saved")
    assert len(refusals) == 1
    page.unroute("**/answer")

    # The database is down: the server answers 503 with a JSON reason; the answer is kept.
    outage = {"error": "The database is not answering.", "reason": "database"}
    page.route("**/answer", lambda route: route.fulfill(status=503, json=outage))
    answer(questions.nth(1))
    state = questions.nth(1).locator(".question-state")
    expect(state).to_have_attribute("data-state", "error")
    expect(page.locator("#save-trouble")).to_be_visible()
    assert queued(page, attempt_id) == 1
    page.unroute("**/answer")  # the database is back: the kept answer is sent again
    expect(state).to_have_attribute("data-state", "saved")
    expect(page.locator("#save-trouble")).to_be_hidden()

    # Offline, two more answers; meanwhile the attempt is submitted from another device.
    context.set_offline(True)
    answer(questions.nth(2))
    answer(questions.nth(3))
    wait_until_queued(page, attempt_id, 2)
    other, other_page = phone(browser)
    other_page.goto(f"{live_server.url}/login")
    log_in_here(other_page)
    other_page.goto(f"{live_server.url}/quizzes/attempts/{attempt_id}")
    other_page.locator("button[name=finish]").click()
    other_page.locator("main form [type=submit]").click()
    expect(other_page.locator(".score")).to_be_visible()
    other.close()
    context.set_offline(False)

    refused = page.locator("#save-refused")
    expect(refused).to_be_visible()
    expect(refused.locator("li")).to_have_count(2)
    expect(refused).to_contain_text("Question 3")
    expect(refused).to_contain_text("Question 4")
    wait_until_queued(page, attempt_id, 0)
    assert len(saved(live_server, attempt_id)) == 2
    page.screenshot(path=str(artifacts / "quiz-answers-refused-phone.png"), full_page=True)
    context.close()


def test_the_start_page_and_the_attempt_fit_a_phone_and_a_desktop(browser, live_server, artifacts):
    for name, viewport in [("phone", PHONE), ("desktop", {"width": 1280, "height": 900})]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{live_server.url}/login")
        log_in_here(page)
        page.wait_for_url(live_server.url + "/")
        page.goto(f"{live_server.url}/quizzes/support-role-final")
        facts = page.locator(".quiz-facts")
        expect(facts).to_contain_text("12 questions")
        expect(facts).to_contain_text("30 minutes")
        page.screenshot(path=str(artifacts / f"quiz-start-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.goto(f"{live_server.url}/quizzes/support-role-04")
        start_or_continue = "form[action$='/start'] [type=submit], a.button[href*='/attempts/']"
        page.locator(start_or_continue).first.click()
        expect(page.locator("fieldset.question legend").first).to_have_text("Question 1 of 7")
        save = page.locator("button[name=save]")
        finish = page.locator("button[name=finish]")
        assert save.evaluate("b => getComputedStyle(b).backgroundColor") != finish.evaluate(
            "b => getComputedStyle(b).backgroundColor"
        )  # "Save answers" looks secondary beside "Finish and submit"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(artifacts / f"quiz-attempt-{name}.png"), full_page=True)
        context.close()
