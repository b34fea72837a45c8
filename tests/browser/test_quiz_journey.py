"""A trainee takes the final quiz on a phone, loses the connection and reloads without losing an
answer, submits and sees the result; the trainer grades the essay and the score becomes final."""

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, make_cohort_with_demo_people, open_menu

# These journeys build their own cohorts for the demo people, so they start from none.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
ESSAY = "I keep my private number private and I do not take gifts.\nI tell the client why."


def answer_every_question(page: Page) -> None:
    """The first choice of each choice question, a typed answer elsewhere."""
    for question in page.locator("fieldset.question").all():
        if question.locator("input:checked").count():
            continue  # answered before the reload
        radios, boxes = (
            question.locator("input[type=radio]"),
            question.locator("input[type=checkbox]"),
        )
        if radios.count():
            radios.first.check()
        elif boxes.count():
            boxes.first.check()
        elif question.locator("select").count():
            for select in question.locator("select").all():
                select.select_option(index=1)
        elif question.locator("textarea").count():
            question.locator("textarea").fill(ESSAY)
        else:
            question.locator("input[type=text]").fill("support")
        expect(question.locator(".question-state")).to_have_attribute("data-state", "saved")


def test_a_trainee_takes_a_quiz_reloads_and_a_trainer_grades_the_essay(
    browser: Browser, live_server, artifacts
):
    make_cohort_with_demo_people(live_server, "Võru autumn group")
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server, "trainee@demo.tugi.ee")
    open_menu(page)
    page.locator("nav.main-nav a[href='/quizzes/']").click()
    page.screenshot(path=str(artifacts / "quizzes-phone.png"), full_page=True)
    page.locator("a[href='/quizzes/support-role-final']").click()
    page.locator("form[action$='/start'] [type=submit]").click()
    expect(page.locator("fieldset.question")).to_have_count(12)
    expect(page.locator(".countdown")).to_contain_text("Time left:")

    # One answer is saved; then the connection drops while another is given.
    with_radios = page.locator("fieldset.question").filter(has=page.locator("input[type=radio]"))
    first, second = with_radios.nth(0), with_radios.nth(1)
    first.locator("input[type=radio]").first.check()
    expect(first.locator(".question-state")).to_have_attribute("data-state", "saved")
    phone.set_offline(True)
    second.locator("input[type=radio]").last.check()
    expect(second.locator(".question-state")).to_have_attribute("data-state", "offline")
    page.screenshot(path=str(artifacts / "quiz-offline-phone.png"))
    phone.set_offline(False)  # the browser fires "online" and the waiting answer is sent
    expect(second.locator(".question-state")).to_have_attribute("data-state", "saved")
    first_id, second_id = first.get_attribute("id"), second.get_attribute("id")
    chosen = second.locator("input[type=radio]").last.get_attribute("value")

    page.reload()  # nothing is lost: both answers come back from the server
    expect(page.locator(f"#{first_id} input:checked")).to_have_count(1)
    expect(page.locator(f"#{second_id} input:checked")).to_have_value(chosen)

    answer_every_question(page)
    page.reload()  # everything comes back from the server, the essay's line break too
    expect(page.locator("textarea")).to_have_value(ESSAY)
    page.screenshot(path=str(artifacts / "quiz-attempt-phone.png"), full_page=True)

    page.locator("button[name=finish]").click()
    expect(page.locator("h1")).to_contain_text("Submit the attempt?")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".score")).to_contain_text("Score:")
    expect(page.locator(".result-summary")).to_contain_text("provisional")
    page.screenshot(path=str(artifacts / "quiz-result-phone.png"), full_page=True)
    result_url = page.url

    # The trainer (whose pages are in Estonian) grades the essay from the queue.
    trainer = browser.new_page()
    log_in(trainer, live_server, "trainer@demo.tugi.ee")
    trainer.goto(live_server.url + "/quizzes/grading")
    expect(trainer.locator("table")).to_contain_text("Olena Kovalenko")
    trainer.locator("a[href^='/quizzes/grading/']").first.click()
    expect(trainer.locator(".essay-answer")).to_contain_text("I do not take gifts.")
    trainer.locator("#score").fill("80")
    trainer.locator("#comment").fill(
        "**Clear boundaries.** Say also how you would end the support."
    )
    trainer.screenshot(path=str(artifacts / "quiz-grade-desktop.png"), full_page=True)
    trainer.locator("form [type=submit]").last.click()
    expect(trainer.locator(".flash-success")).to_be_visible()
    expect(trainer.locator(".empty")).to_be_visible()  # the queue is empty again

    page.goto(result_url)
    expect(page.locator(".result-summary")).not_to_contain_text("provisional")
    expect(page.locator(".trainer-comment strong")).to_have_text("Clear boundaries.")
    page.screenshot(path=str(artifacts / "quiz-graded-phone.png"), full_page=True)

    trainer.goto(live_server.url + "/cohorts/")
    trainer.locator("a", has_text="Võru autumn group").click()
    trainer.locator("a[href$='/gradebook']").click()
    expect(trainer.locator("table.gradebook")).to_contain_text("Olena Kovalenko")
    trainer.screenshot(path=str(artifacts / "gradebook-desktop.png"), full_page=True)
    phone.close()
