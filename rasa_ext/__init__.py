"""Extensions loaded by the Rasa server (Python 3.10) through endpoints.yml (``type: module.Class``)."""
