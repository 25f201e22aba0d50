/// The kind of file a log was read from. The raw values are the formats' names in arguments and messages.
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// Delimited text with commas or semicolons between fields.
    case csv
    /// Delimited text with tabs between fields.
    case tsv
    /// A Weights & Biases history export: CSV with W&B's `_step` (and often `_runtime`,
    /// `_timestamp`) columns; read like any CSV.
    case wandbHistory = "wandb-history"
    /// A Weights & Biases panel export: a `Step` column and `<run> - <metric>` columns (with
    /// `__MIN` / `__MAX` companions), one curve per run.
    case wandbPanel = "wandb-panel"
    /// One JSON object per line; nested objects' keys read as `outer/inner`.
    case jsonl
    /// A Hugging Face Trainer `trainer_state.json`, whose `log_history` holds the logged values.
    case trainerState = "trainer-state"
    /// TensorBoard event files (`events.out.tfevents.*`), or a run directory holding them.
    case tensorboard
    /// nanoGPT's printed training log (`iter N: loss X, …`, `step N: train loss X, val loss Y`).
    case nanoGPT = "nanogpt"
    /// Megatron-LM's printed training log (`iteration N/ M | … | lm loss: X |`).
    case megatron

    /// How the format reads in messages and `inspect`.
    public var displayName: String {
        switch self {
        case .csv: return "CSV"
        case .tsv: return "TSV"
        case .wandbHistory: return "W&B history CSV"
        case .wandbPanel: return "W&B panel CSV"
        case .jsonl: return "JSON lines"
        case .trainerState: return "Hugging Face trainer_state.json"
        case .tensorboard: return "TensorBoard events"
        case .nanoGPT: return "nanoGPT text log"
        case .megatron: return "Megatron-LM text log"
        }
    }

    /// What the format calls the name of a series, for messages: column, key or tag.
    var seriesNoun: String {
        switch self {
        case .csv, .tsv, .wandbHistory, .wandbPanel: return "column"
        case .jsonl, .trainerState, .nanoGPT, .megatron: return "key"
        case .tensorboard: return "tag"
        }
    }
}
