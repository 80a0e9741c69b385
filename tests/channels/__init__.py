"""Tests of the channels together: `priemnaya run` as a real process against both fakes."""
