-- Two databases: Rasa's conversations and the action servers' shop state.
CREATE DATABASE rasa;
CREATE DATABASE shop;
