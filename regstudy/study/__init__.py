"""Study features built on the knowledge base: quizzes for branch sessions (quiz/), the citation
checker for trainers (citations/), and the Markdown → DOCX writer they share."""
