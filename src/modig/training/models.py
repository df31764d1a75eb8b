"""Training: courses, sessions with their meetings, enrolments, attendance (issue 5)."""
