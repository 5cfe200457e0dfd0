"""Rasa input channels for the shop's chat platforms (loaded by the Rasa server, see credentials.yml).

They extend Rasa's stock Slack and Telegram connectors with what the stock ones lack: a configurable
platform API base URL (a local fake in tests), immediate acknowledgement, dropped duplicate deliveries,
and Telegram's webhook secret token.
"""
