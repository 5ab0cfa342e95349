-- A saved reply may carry a picture or file, buttons and quick replies (JSON, as the engine's
-- `rich::Parts` writes it); NULL is text alone.
ALTER TABLE saved_replies ADD COLUMN rich TEXT;
