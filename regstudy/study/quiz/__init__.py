"""Quizzes for branch study sessions: items mined from the articles (material), built per type
(makers), checked against the stored text (grounding), assembled into papers (paper), exported for
print (export) and scored for a group (book)."""
