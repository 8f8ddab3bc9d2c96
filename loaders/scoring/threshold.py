"""The confidence under which a candidate event is not asserted, unless a load is
told otherwise (setting COMMUNIQUE_MIN_CONFIDENCE); kept apart from the scorer so
that reading it does not load the parser.

0: every candidate is asserted, with its confidence. On held-out folds of the
PLOVER sentences a threshold of 0.5 raised event F1 only from 0.620 to 0.632,
and on the re3d documents, which the scorer never saw, it cost relations (F1
0.316 to 0.300; docs/quality.md): until the scorer has more to learn from, the
choice is the user's."""

DEFAULT_MIN_CONFIDENCE = 0.0
