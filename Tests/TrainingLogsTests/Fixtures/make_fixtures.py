"""Makes the reader test fixtures in this directory with the real third-party writers.

    pip install tensorboardX==2.6.5 tensorboard==2.21.0 transformers==5.23.0 numpy
    python3 make_fixtures.py            # run from this directory; rewrites every fixture

Writers: tensorboardX's SummaryWriter (simple_value scalars, histograms, text, new-style tensor
scalars), TensorBoard's own `tensorboard.summary.Writer` (TF2-style tensor scalars) and its
EventFileWriter with hand-built tensors (double_val, tensor_content, half_val), and the Hugging Face
`TrainerState.save_to_json` (log_history entries shaped as `Trainer.log` makes them). W&B exports
come only from its web UI, and nanoGPT and Megatron-LM print their logs from training scripts that
need PyTorch and GPUs, so those fixtures are written here in their exact print formats (the format
strings are quoted beside each). expected.json records what was written, and what TensorBoard's own
EventAccumulator reads back from each event file, for the tests to compare against bit for bit.
"""
import glob
import json
import math
import os
import shutil

import numpy as np
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.util import tensor_util
from tensorboardX import SummaryWriter
from transformers.trainer_callback import TrainerState

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = {}


def f32(value):
    """The float32 nearest to value, as the float64 that holds it exactly."""
    return float(np.float32(value))


def fresh(path):
    path = os.path.join(HERE, path)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def rename_event_files(directory, first_time):
    """Event file names carry the writer's time and host; fixed names keep the fixtures stable."""
    for index, path in enumerate(sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*")))):
        os.rename(path, os.path.join(directory, f"events.out.tfevents.{first_time + index}.fixture"))


def read_back(directory):
    """What TensorBoard itself reads from a run directory: {tag: [[step, value], ...]}."""
    accumulator = event_accumulator.EventAccumulator(directory, size_guidance={"scalars": 0, "tensors": 0})
    accumulator.Reload()
    series = {tag: [[event.step, event.value] for event in accumulator.Scalars(tag)] for tag in accumulator.Tags()["scalars"]}
    for tag in accumulator.Tags()["tensors"]:
        events = accumulator.Tensors(tag)
        if events and events[0].tensor_proto.dtype != types_pb2.DT_STRING:
            series[tag] = [[event.step, float(tensor_util.make_ndarray(event.tensor_proto).item())] for event in events]
    return series


def schedule(step, total=2000, warmup=100, peak=3e-4):
    if step < warmup:
        return peak * step / warmup
    return peak * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))


def curve(steps):
    """A loss curve shaped like a real run's, in float32 as TensorBoard stores it."""
    area = 0.0
    losses, rates, last = [], [], 0
    for step in steps:
        for inner in range(last, step + 1):
            area += schedule(inner)
        last = step + 1
        losses.append(f32(2.0 + 8.0 * (1 + area * 400) ** -0.35 + 0.01 * math.sin(step / 37)))
        rates.append(f32(schedule(step)))
    return losses, rates


def make_same_curve():
    """One curve written four ways: CSV, JSON lines, trainer_state.json and TensorBoard."""
    steps = list(range(10, 2001, 10))
    losses, rates = curve(steps)
    EXPECTED["same_curve"] = {"steps": steps, "loss": losses, "learning_rate": rates}

    directory = fresh("same_curve/csv")
    with open(os.path.join(directory, "curve.csv"), "w") as file:
        file.write("step,learning_rate,loss\n")
        for step, rate, loss in zip(steps, rates, losses):
            file.write(f"{step},{rate!r},{loss!r}\n")

    directory = fresh("same_curve/jsonl")
    with open(os.path.join(directory, "curve.jsonl"), "w") as file:
        for step, rate, loss in zip(steps, rates, losses):
            file.write(json.dumps({"step": step, "train": {"loss": loss, "lr": rate}}) + "\n")

    directory = fresh("same_curve/hf/curve")
    trainer_state(steps, losses, rates, eval_every=500).save_to_json(os.path.join(directory, "trainer_state.json"))

    directory = fresh("same_curve/tb/curve")
    writer = SummaryWriter(directory)
    for step, rate, loss in zip(steps, rates, losses):
        writer.add_scalar("train/loss", loss, step)
        writer.add_scalar("train/learning_rate", rate, step)
    writer.close()
    rename_event_files(directory, 1700000000)
    EXPECTED["same_curve"]["tensorboard_read_back"] = read_back(directory)


def trainer_state(steps, losses, rates, eval_every):
    """log_history as transformers' Trainer.log builds it: train entries, eval entries, summary."""
    state = TrainerState()
    state.global_step = steps[-1]
    state.max_steps = steps[-1]
    state.logging_steps = steps[1] - steps[0]
    state.eval_steps = eval_every
    per_epoch = 1000
    for step, rate, loss in zip(steps, rates, losses):
        state.log_history.append({"loss": loss, "grad_norm": f32(1.0 + 100.0 / (step + 50)), "learning_rate": rate,
                                  "epoch": step / per_epoch, "step": step})
        if step % eval_every == 0:
            state.log_history.append({"eval_loss": f32(loss + 0.05), "eval_runtime": 1.25, "eval_samples_per_second": 812.3,
                                      "eval_steps_per_second": 25.4, "epoch": step / per_epoch, "step": step})
    state.log_history.append({"train_runtime": 431.5, "train_samples_per_second": 148.3, "train_steps_per_second": 4.63,
                              "total_flos": 1.2e15, "train_loss": f32(sum(losses) / len(losses)),
                              "epoch": steps[-1] / per_epoch, "step": steps[-1]})
    return state


def make_huggingface():
    steps = list(range(5, 201, 5))
    losses, rates = curve(steps)
    directory = fresh("huggingface/run/checkpoint-200")
    state = trainer_state(steps, losses, rates, eval_every=50)
    state.save_to_json(os.path.join(directory, "trainer_state.json"))
    evals = [entry for entry in state.log_history if "eval_loss" in entry]
    EXPECTED["huggingface"] = {"steps": steps, "loss": losses, "learning_rate": rates,
                               "eval_steps": [entry["step"] for entry in evals], "eval_loss": [entry["eval_loss"] for entry in evals]}


def make_tensorboard():
    # tensorboardX: simple_value scalars, plus a histogram and text that are not scalars.
    steps = list(range(0, 50))
    losses, rates = curve([10 * step + 10 for step in steps])
    directory = fresh("tensorboard/tbx")
    writer = SummaryWriter(directory)
    for step, rate, loss in zip(steps, rates, losses):
        writer.add_scalar("train/loss", loss, step)
        writer.add_scalar("train/learning_rate", rate, step)
        if step % 10 == 0:
            writer.add_histogram("weights", np.linspace(-1, 1, 50) * (step + 1), step)
            writer.add_text("note", f"step {step}", step)
        writer.add_scalar("accuracy", f32(step / 50), step)
    writer.close()
    rename_event_files(directory, 1700000100)
    EXPECTED["tbx"] = {"steps": steps, "loss": losses, "learning_rate": rates,
                       "accuracy": [f32(step / 50) for step in steps], "read_back": read_back(directory)}

    # TensorBoard's own writer: TF2-style tensor scalars with plugin metadata.
    directory = fresh("tensorboard/tb_writer")
    writer = __import__("tensorboard.summary", fromlist=["Writer"]).Writer(directory)
    for step, rate, loss in zip(steps, rates, losses):
        writer.add_scalar("loss", loss, step, description="training loss")
        writer.add_scalar("lr", rate, step)
    writer.close()
    rename_event_files(directory, 1700000200)
    EXPECTED["tb_writer"] = {"steps": steps, "loss": losses, "learning_rate": rates, "read_back": read_back(directory)}

    # Tensors as other writers store them: double_val (make_tensor_proto of a float64), raw
    # tensor_content (float32 and float64), and half_val.
    directory = fresh("tensorboard/tensors")
    writer = EventFileWriter(directory)
    metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    doubles = [2.0 + 1.0 / (step + 1) + 1e-12 * step for step in steps]
    for step, double in zip(steps, doubles):
        values = [
            summary_pb2.Summary.Value(tag="loss", tensor=tensor_util.make_tensor_proto(np.float64(double)), metadata=metadata),
            summary_pb2.Summary.Value(tag="content_f32", metadata=metadata, tensor=tensor_pb2.TensorProto(
                dtype=types_pb2.DT_FLOAT, tensor_shape=tensor_shape_pb2.TensorShapeProto(), tensor_content=np.float32(double).tobytes())),
            summary_pb2.Summary.Value(tag="content_f64", metadata=metadata, tensor=tensor_pb2.TensorProto(
                dtype=types_pb2.DT_DOUBLE, tensor_shape=tensor_shape_pb2.TensorShapeProto(), tensor_content=np.float64(double).tobytes())),
            summary_pb2.Summary.Value(tag="half", metadata=metadata, tensor=tensor_pb2.TensorProto(
                dtype=types_pb2.DT_HALF, tensor_shape=tensor_shape_pb2.TensorShapeProto(), half_val=[int(np.float16(double).view(np.uint16))])),
        ]
        writer.add_event(Event(step=step, wall_time=1700000300.0 + step, summary=summary_pb2.Summary(value=values)))
    writer.close()
    rename_event_files(directory, 1700000300)
    EXPECTED["tensors"] = {"steps": steps, "loss": doubles, "content_f32": [f32(value) for value in doubles],
                           "content_f64": doubles, "half": [float(np.float16(value)) for value in doubles],
                           "read_back": read_back(directory)}

    # A resumed run: the first writer logs steps 0-39, the second resumes from step 30.
    directory = fresh("tensorboard/resumed")
    first = SummaryWriter(directory)
    for step in range(0, 40):
        first.add_scalar("loss", f32(5.0 - step / 100), step)
    first.close()
    rename_event_files(directory, 1700000400)
    second = SummaryWriter(directory)
    for step in range(30, 60):
        second.add_scalar("loss", f32(4.0 - step / 100), step)
    second.close()
    for path in glob.glob(os.path.join(directory, "events.out.tfevents.*")):
        if not path.endswith(".fixture"):
            os.rename(path, os.path.join(directory, "events.out.tfevents.1700000401.fixture"))
    EXPECTED["resumed"] = {"steps": list(range(0, 60)),
                           "loss": [f32(5.0 - step / 100) for step in range(0, 30)] + [f32(4.0 - step / 100) for step in range(30, 60)]}

    # A directory of runs, as a sweep writes them; the second also has the hparams-only subdirectory
    # the Hugging Face Trainer's TensorBoard callback writes (add_hparams with no metrics).
    for index, name in enumerate(["lr_1e-3", "lr_3e-4"]):
        directory = fresh(f"tensorboard/sweep/{name}")
        writer = SummaryWriter(directory)
        for step in range(1, 21):
            writer.add_scalar("train/loss", f32(3.0 + index - step / 40), step)
            writer.add_scalar("train/learning_rate", f32([1e-3, 3e-4][index]), step)
        if index == 1:
            writer.add_hparams({"lr": 3e-4}, {}, name="1700000520.5")
            rename_event_files(os.path.join(directory, "1700000520.5"), 1700000521)
        writer.close()
        rename_event_files(directory, 1700000500 + 10 * index)


def make_wandb():
    """W&B exports from its web UI: a run's history (Download CSV of the run's table) and a line
    panel with two runs (the panel's "Export CSV"), in the column layout W&B writes."""
    steps = list(range(0, 100, 10))
    losses, rates = curve([step + 10 for step in steps])
    directory = fresh("wandb")
    with open(os.path.join(directory, "history.csv"), "w") as file:
        file.write('"_step","train/global_step","train/loss","train/learning_rate","eval/loss","_runtime","_timestamp"\n')
        for index, (step, rate, loss) in enumerate(zip(steps, rates, losses)):
            eval_loss = f'"{f32(loss + 0.05)!r}"' if step % 50 == 0 else '""'
            file.write(f'"{index}","{step}","{loss!r}","{rate!r}",{eval_loss},"{10.5 * index!r}","{1700000000 + index}"\n')
    EXPECTED["wandb_history"] = {"steps": steps, "loss": losses, "learning_rate": rates}

    second = [f32(loss + 0.25) for loss in losses]
    with open(os.path.join(directory, "panel.csv"), "w") as file:
        columns = ["Step"]
        for run in ["gpt2-small - cosine", "gpt2-small - wsd"]:
            columns += [f"{run} - train/loss", f"{run} - train/loss__MIN", f"{run} - train/loss__MAX"]
        file.write(",".join(f'"{column}"' for column in columns) + "\n")
        for index, step in enumerate(steps):
            cells = [str(step)]
            cells += [repr(losses[index])] * 3
            # The second run logged every other point only.
            cells += [repr(second[index])] * 3 if index % 2 == 0 else ["", "", ""]
            file.write(",".join(f'"{cell}"' for cell in cells) + "\n")
    EXPECTED["wandb_panel"] = {"steps": steps, "cosine": losses, "wsd_steps": steps[::2], "wsd": second[::2]}


def make_jsonl():
    steps = list(range(1, 31))
    losses, rates = curve([step * 20 for step in steps])
    directory = fresh("jsonl")
    with open(os.path.join(directory, "metrics.jsonl"), "w") as file:
        for step, rate, loss in zip(steps, rates, losses):
            record = {"_step": step - 1, "trainer": {"global_step": step * 20}, "train": {"loss": loss, "lr": rate},
                      "tokens": step * 20 * 524288, "tag": "pretrain"}
            file.write(json.dumps(record) + "\n")
            if step % 10 == 0:
                file.write(json.dumps({"_step": step - 1, "trainer": {"global_step": step * 20}, "eval": {"loss": f32(loss + 0.1)}}) + "\n")
        file.write(json.dumps({"_step": 30, "trainer": {"global_step": 620}, "train": {"loss": float("nan"), "lr": 1e-5}}) + "\n")
    EXPECTED["jsonl"] = {"steps": [step * 20 for step in steps], "loss": losses, "learning_rate": rates + [1e-5],
                         "learning_rate_steps": [step * 20 for step in steps] + [620]}


def make_text_logs():
    steps = list(range(0, 200, 10))
    losses, _ = curve([step + 10 for step in steps])
    directory = fresh("text")
    with open(os.path.join(directory, "nanogpt.log"), "w") as file:
        file.write("tokens per iteration will be: 491,520\nInitializing a new model from scratch\n")
        file.write("number of parameters: 123.59M\nusing fused AdamW: True\ncompiling the model... (takes a ~minute)\n")
        for step, loss in zip(steps, losses):
            if step % 100 == 0:
                # print(f"step {iter_num}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
                file.write(f"step {step}: train loss {loss:.4f}, val loss {loss + 0.05:.4f}\n")
                if step > 0:
                    file.write("saving checkpoint to out\n")
            # print(f"iter {iter_num}: loss {lossf:.4f}, time {dt*1000:.2f}ms, mfu {running_mfu*100:.2f}%")
            file.write(f"iter {step}: loss {loss:.4f}, time {1234.5678 + step:.2f}ms, mfu {-100.0 if step < 50 else 38.41:.2f}%\n")
    EXPECTED["nanogpt"] = {"steps": steps, "loss": [float(f"{loss:.4f}") for loss in losses],
                           "val_steps": [0, 100], "val_loss": [float(f"{losses[0] + 0.05:.4f}"), float(f"{losses[10] + 0.05:.4f}")]}

    rates = [schedule(step) for step in steps]
    with open(os.path.join(directory, "megatron.log"), "w") as file:
        file.write("using world size: 8, data-parallel size: 8, tensor-model-parallel size: 1\n")
        file.write("> building train, validation, and test datasets ...\n")
        for index, (step, rate, loss) in enumerate(zip(steps[1:], rates[1:], losses[1:])):
            # training_log: ' iteration {:8d}/{:8d} |', ' consumed samples: {:12d} |',
            # ' elapsed time per iteration (ms): {:.1f} |', ' learning rate: {:.6E} |',
            # ' global batch size: {:5d} |', ' {}: {:.6E} |' per loss, ' loss scale: {:.1f} |',
            # ' grad norm: {:.3f} |', ' number of skipped iterations: {:3d} |',
            # ' number of nan iterations: {:3d} |'
            file.write(f" [2024-05-01 10:{index:02d}:00] iteration {step:8d}/{200:8d} | consumed samples: {step * 512:12d} |"
                       f" elapsed time per iteration (ms): {512.3:.1f} | learning rate: {rate:.6E} | global batch size: {512:5d} |"
                       f" lm loss: {loss:.6E} | loss scale: {1.0:.1f} | grad norm: {1.234:.3f} |"
                       f" number of skipped iterations: {0:3d} | number of nan iterations: {0:3d} |\n")
            if step % 100 == 0:
                # ' validation loss at {} | ' then '{} value: {:.6E} | ' and '{} PPL: {:.6E} | ' per loss
                file.write("-" * 100 + "\n")
                file.write(f" validation loss at iteration {step} | lm loss value: {loss + 0.05:.6E} | lm loss PPL: {math.exp(loss + 0.05):.6E} | \n")
                file.write("-" * 100 + "\n")
    EXPECTED["megatron"] = {"steps": steps[1:], "loss": [float(f"{loss:.6E}") for loss in losses[1:]],
                            "learning_rate": [float(f"{rate:.6E}") for rate in rates[1:]],
                            "val_steps": [100], "val_loss": [float(f"{losses[10] + 0.05:.6E}")]}


make_same_curve()
make_huggingface()
make_tensorboard()
make_wandb()
make_jsonl()
make_text_logs()


def exact(value):
    """Numbers as their shortest round-trip text, so that no JSON parser's rounding comes between."""
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact(item) for item in value]
    return repr(float(value)) if isinstance(value, float) else value


with open(os.path.join(HERE, "expected.json"), "w") as file:
    json.dump(exact(EXPECTED), file, indent=1)
    file.write("\n")
