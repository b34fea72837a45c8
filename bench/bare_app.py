"""The yardstick: a five-line Flask app, served by the same gunicorn as Tugi in the same run."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
