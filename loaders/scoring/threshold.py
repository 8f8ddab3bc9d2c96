"""The confidence under which a candidate event, holding or membership is not
asserted, unless a load is told otherwise (setting COMMUNIQUE_MIN_CONFIDENCE);
kept apart from the scorer so that reading it does not load the parser.

0: every candidate is asserted, with its confidence. On held-out folds no
threshold raised PLOVER event F1 by more than 0.01, nor relation F1 on the
re3d documents (docs/quality.md): the confidence is for people to filter on
in queries, and what to leave out at load time is the
user's choice."""

DEFAULT_MIN_CONFIDENCE = 0.0
