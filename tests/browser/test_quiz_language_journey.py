"""A trainee switches the quiz's language in the middle of an attempt: the answers already given,
also one still waiting in the browser to be sent, stay selected, and are saved."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.conftest import COORDINATOR_EMAIL, COORDINATOR_PASSWORD, log_in

EMPTY_DATABASE = True
CONTENT_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "translated"


def test_switching_language_mid_attempt_keeps_the_answers(browser: Browser, live_server):
    page = browser.new_context().new_page()
    log_in(page, live_server, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    page.goto(live_server.url + "/quizzes/helping")
    page.locator("form[action$='/start'] [type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Helping well")
    first, second = page.locator("#question-0"), page.locator("#question-1")
    first.locator("input[value='0']").check()
    expect(first.locator(".question-state")).to_have_attribute("data-state", "saved")

    # The server cannot be reached: the second answer waits in the browser.
    page.route("**/answer", lambda route: route.fulfill(status=503, body="{}"))
    second.locator("input[value='1']").check()
    expect(second.locator(".question-state")).to_have_attribute("data-state", "error")

    page.locator(".also-in a[hreflang=uk]").click()
    expect(page.locator("h1")).to_contain_text("Допомагати добре")
    expect(page.locator("#question-0")).to_contain_text("Хто вирішує про життя клієнта?")
    expect(page.locator("#question-0 input[value='0']")).to_be_checked()  # from the server
    expect(page.locator("#question-1 input[value='1']")).to_be_checked()  # from the browser

    page.unroute("**/answer")  # the server is back: the waiting answer is sent
    state = page.locator("#question-1 .question-state")
    expect(state).to_have_attribute("data-state", "saved")
    page.locator(".also-in a[hreflang=et]").click()
    expect(page.locator("h1")).to_contain_text("Hästi aidata")
    expect(page.locator("#question-0 input[value='0']")).to_be_checked()
    expect(page.locator("#question-1 input[value='1']")).to_be_checked()
