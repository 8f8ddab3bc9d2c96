"""The confidence under which a candidate event is not asserted, unless a load is
told otherwise (setting COMMUNIQUE_MIN_CONFIDENCE); kept apart from the scorer so
that reading it does not load the parser.

0: every candidate is asserted, with its confidence. Learned from 85 judged
events, the scorer separates right from wrong only weakly (docs/quality.md):
no threshold raised held-out event F1, and on the re3d documents, which the
scorer never saw, thresholds cost relations. Until it has more to learn from,
the choice is the user's."""

DEFAULT_MIN_CONFIDENCE = 0.0
