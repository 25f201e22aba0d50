public enum TrainingLogsPlaceholder {}
