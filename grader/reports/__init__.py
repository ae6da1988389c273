"""What `grader grade` writes: the gradebook (CSV), per-student results.json (Gradescope),
feedback in Markdown and HTML, and the class summary; all written atomically."""
