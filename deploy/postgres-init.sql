-- The databases of a scaled-out shop: Rasa's conversations, the action servers' shop state, the
-- marketing store (offers, coupons, caps shared by every action server) and the analytics copy of
-- the conversations (Rasa's event broker; its table cannot live beside the tracker store's).
CREATE DATABASE rasa;
CREATE DATABASE shop;
CREATE DATABASE marketing;
CREATE DATABASE events;
