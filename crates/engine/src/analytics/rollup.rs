//! Keeps the answer-time rollups current: after each batch the processor applies, the
//! conversations it changed are replayed into `answer_times` and `answer_days` (see
//! `store::analytics`), in rounds of [`ROUND`], unless the processor is behind. A dashboard
//! read folds its Page's pending conversations too, so a figure never waits for this worker.

use std::time::Duration;

use crate::Engine;
use crate::worker::{Pace, Progress, Worker};

const ROUND: i64 = 256;
/// Another instance's processor wakes nobody here: look anyway this often.
const POLL: Duration = Duration::from_secs(5);

pub struct AnswerFolder {
    pub engine: Engine,
}

impl Worker for AnswerFolder {
    fn name(&self) -> &'static str {
        "answer_folder"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        // While webhooks queue, the inbox comes first: the folds wait, and then fold each
        // conversation once for all its new messages. (A dashboard folds what it shows.)
        if self
            .engine
            .signals
            .behind
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            return Ok(Progress::Idle);
        }
        let folded = self.engine.fold_answers(None, ROUND).await?;
        Ok(Progress::of(folded, ROUND as usize))
    }
}

impl AnswerFolder {
    pub fn pace(&self) -> Pace {
        Pace::new(self.engine.signals.answers.clone(), POLL)
    }
}
