// Study aids, wired together: quiz mode and the table view of the trace (which hides what the
// quiz has not revealed yet).
import { setupQuiz } from "./quiz.js";
import { setupTableView } from "./tableview.js";

export function setupStudy(app) {
  const quiz = setupQuiz(app);
  setupTableView(app, { hidden: quiz.hidden, onChange: quiz.onChange });
  return quiz;
}
