using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LogReg.Reporting;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

/// <summary>
/// The corpus cases of issue 15 (resource bombs, special files, hostile names and sizes, messages that must name the
/// file) and of the attacks tried after it. Every bomb is refused from its header or count: no case allocates more than
/// a few tens of megabytes or runs longer than a second.
/// </summary>
public static partial class Corpus
{
    /// <summary>A named pipe at <paramref name="path"/>: opening it for reading blocks until a writer comes.</summary>
    internal static string Fifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return path;
    }

    /// <summary>A file of <paramref name="bytes"/> that takes no disk space (a hole), for size limits.</summary>
    private static string Sparse(string path, long bytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(bytes);
        return path;
    }

    private static string Csv(int rows, Func<int, int> label, int pixels = 16) =>
        string.Concat(Enumerable.Range(0, rows).Select(i => $"{label(i)},{string.Join(',', Enumerable.Range(0, pixels).Select(p => (i * 7 + p) % 256))}\n"));

    /// <summary>A train run on a CSV folder whose train.csv is <paramref name="train"/>.</summary>
    private static CorpusCase CsvTrain(string name, string problem, Func<string> train) =>
        Case(name, problem, f =>
        {
            var data = f.Folder("data");
            var path = f.WriteText("data/train.csv", train());
            f.WriteText("data/test.csv", Csv(3, i => i % 3));
            return new(f.Train(data), path);
        });

    /// <summary>A train run on a valid dataset folder with classes.txt holding <paramref name="names"/>.</summary>
    private static CorpusCase ClassNames(string name, string problem, Func<CaseFolder, string> write) =>
        Case(name, problem, f =>
        {
            var data = f.Dataset();
            return new(f.Train(data), write(f));
        });

    private static string Gridded(string data, string grid) => $"name: corpus\ndataset: {data}\ngrid:\n{grid}";

    private static IEnumerable<CorpusCase> Hardening()
    {
        // 1. A grid of 10^9 points is refused from the product of its axis lengths, before anything is expanded.
        yield return YamlCase("limits: a grid of 9 axes of 10 values (10^9 runs)", "the spec expands to 1000000000 runs (1000000000 grid points x 1 seed(s) x 1 fold(s)), more than the limit of 10000; pass --max-runs", data =>
        {
            string Axis(string key, Func<int, string> value) => $"  {key}: [{string.Join(", ", Enumerable.Range(1, 10).Select(value))}]\n";
            return Gridded(data, Axis("learning_rate", i => $"0.{i:D2}") + Axis("epochs", i => $"{i}") + Axis("batch_size", i => $"{i}") + Axis("momentum", i => $"0.{i - 1}")
                + Axis("init_std", i => $"{i}") + Axis("patience", i => $"{i}") + Axis("min_delta", i => $"{i}") + Axis("decay_rate", i => $"0.{i - 1}5") + Axis("decay_epochs", i => $"{i}"));
        });

        // 2. Flow sequences nested 10^5 deep overflowed YamlDotNet's recursive loader.
        yield return YamlCase("limits: flow sequences nested 100000 deep", "line 4: nested more than 32 levels deep", data => $"name: corpus\ndataset: {data}\ngrid:\n  learning_rate: {new string('[', 100_000)}{new string(']', 100_000)}\n");

        // 3. --threads 100000 started thousands of threads in bench and experiment run.
        yield return Case("limits: bench --threads 100000", "--threads must be between 0 (one per core) and 256 (was 100000)", f =>
            new(["bench", "--dataset", f.Dataset(), "--no-download", "--threads", "100000"], "--threads"));
        yield return Case("limits: experiment run --threads 100000", "--threads must be between 0 (one per core) and 256 (was 100000)", f =>
            new([.. f.ExperimentRun(f.Spec(f.Dataset())), "--threads", "100000"], "--threads"));
        yield return Case("limits: train --threads 100000", "Threads must be between 0 (one per core) and 256 (was 100000)", f =>
            new([.. f.Train(f.Dataset()), "--threads", "100000"], "Threads"));

        // 4. A CSV label made the class count follow it (1.7 GB, or an unnamed out-of-range error for int.MaxValue).
        yield return CsvTrain("limits: a CSV label of 999999", "line 4, column 1: label 999999 is beyond the limit of 1000 classes", () => Csv(6, i => i == 3 ? 999_999 : i % 3));
        yield return CsvTrain("limits: a CSV label of 2147483647", "line 2, column 1: label 2147483647 is beyond the limit of 1000 classes", () => Csv(6, i => i == 1 ? int.MaxValue : i % 3));

        // 5. classes.txt with 10,000 names made a 10,000-class model.
        yield return ClassNames("limits: classes.txt with 10000 names", "names 10000 classes, more than the limit of 1000", f =>
            f.WriteText("data/classes.txt", string.Concat(Enumerable.Range(0, 10_000).Select(i => $"class{i}\n"))));

        // 6. An 8192x8192 image in a gzip of about 65 KB passed the data check and then failed allocating the model.
        yield return TrainWith("limits: an 8192x8192 image in a small gzip", "images of 8192x8192 have 67108864 pixels, more than the limit of 1048576", "train-images-idx3-ubyte.gz", IdxBytes.Gzip(Concat(Header(0x08, 3, 1, 8192, 8192), new byte[8192 * 8192])));
        yield return Case("limits: a model of 1024x1024 features x 100 classes", "needs 104857600 weights", f =>
        {
            var data = f.Folder("data");
            var images = f.Write("data/train-images-idx3-ubyte", Concat(Header(0x08, 3, 4, 1024, 1024), new byte[4 * 1024 * 1024]));
            f.Write("data/train-labels-idx1-ubyte", IdxBytes.Labels(0, 1, 2, 99));
            f.Write("data/t10k-images-idx3-ubyte", Concat(Header(0x08, 3, 2, 1024, 1024), new byte[2 * 1024 * 1024]));
            f.Write("data/t10k-labels-idx1-ubyte", IdxBytes.Labels(0, 1));
            return new(f.Train(data), images);
        });

        // 7. A FIFO where a file is expected blocked forever.
        yield return Case("special: train --dataset DIR/train-images-idx3-ubyte is a FIFO", "is a FIFO (named pipe), not a regular file", f =>
        {
            var data = f.Dataset();
            var images = f.File("data/train-images-idx3-ubyte");
            File.Delete(images);
            return new(f.Train(data), Fifo(images));
        });
        yield return Case("special: eval --model is a FIFO", "is a FIFO (named pipe), not a regular file", f =>
            new(["eval", "--model-file", Fifo(f.File("model.json")), "--images", f.Write("images.idx", Images()), "--labels", f.Write("labels.idx", Labels())], f.File("model.json")));
        yield return Case("special: experiment run FILE is a FIFO", "is a FIFO (named pipe), not a regular file", f =>
        {
            var spec = Fifo(f.File("spec.yaml"));
            return new(f.ExperimentRun(spec), spec);
        });
        yield return Case("special: predict INPUT is a FIFO", "is a FIFO (named pipe), not a regular file", f =>
        {
            var input = Fifo(f.File("digit.png"));
            return new(["predict", "--model-file", f.Model(), input], input);
        });
        yield return ClassNames("special: classes.txt is a FIFO", "is a FIFO (named pipe), not a regular file", f => Fifo(f.File("data/classes.txt")));
        yield return Case("special: eval --images /dev/zero", "is a character device, not a regular file", f =>
            new(f.Eval("/dev/zero", f.Write("labels.idx", Labels())), "/dev/zero"));

        // 9. Experiment names that are not one safe folder name.
        yield return YamlCase("names: name ..", "name '..' must be usable as a folder name: it starts with '.'", data => $"name: ..\ndataset: {data}\n");
        yield return YamlCase("names: name .", "name '.' must be usable as a folder name: it starts with '.'", data => $"name: .\ndataset: {data}\n");

        // 10. A folder in place of a dataset file under --data-dir made LogReg take that split from elsewhere.
        yield return Case("path: --data-dir with a folder in place of t10k-images-idx3-ubyte.gz", "is a directory, not a file: a dataset file belongs here", f =>
        {
            var root = f.Folder("datasets");
            SyntheticFolder.Write(f.File("datasets/mnist"), 12, 6, 3);
            File.Delete(f.File("datasets/mnist/t10k-images-idx3-ubyte"));
            var folder = f.Folder("datasets/mnist/t10k-images-idx3-ubyte.gz");
            return new(["data", "info", "mnist", "--data-dir", root, "--no-download"], folder);
        });

        // 11. --min-lr above --lr made cosine annealing climb.
        yield return Case("options: --min-lr 1 with --lr 0.1", "MinLearningRate must be ≤ LearningRate (was 1 with LearningRate 0.1)", f =>
            new([.. f.Train(f.Dataset()), "--lr", "0.1", "--min-lr", "1"], "MinLearningRate"));

        // 12. Finite weights whose scores overflow a float predicted NaN probabilities with exit 0.
        yield return ModelCase("model: finite weights whose scores overflow a float", "weights[0] and bias[0] can give scores of", () => ModelWith(m =>
        {
            m["preparation"]!["scaling"] = "none";
            JsonArray Filled(double value) => new([.. Enumerable.Range(0, 16).Select(_ => (JsonNode?)JsonValue.Create(value))]);
            m["scaler"]!["offset"] = Filled(0);
            m["scaler"]!["scale"] = Filled(1);
            m["weights"]![0] = Filled(3e37);
        }), predict: true);

        // 13. A test split left empty by the selection was "evaluated": accuracy -, loss NaN, exit 0.
        yield return Case("data: a test split left empty by --test-first and --classes", "no test images are left after the subset and class selection", f =>
        {
            var data = f.Folder("data");
            f.Write("data/train-images-idx3-ubyte", Images(6));
            f.Write("data/train-labels-idx1-ubyte", Labels(6));
            var test = f.Write("data/t10k-images-idx3-ubyte", Images(3));
            f.Write("data/t10k-labels-idx1-ubyte", IdxBytes.Labels(0, 1, 2));
            return new([.. f.Train(data), "--test-first", "1", "--classes", "1,2"], test);
        });

        // 14. bench --batch-sizes ,, measured nothing and exited 0.
        yield return Case("options: bench --batch-sizes ,,", "--batch-sizes names no batch size", f =>
            new(["bench", "--dataset", f.Dataset(), "--no-download", "--batch-sizes", ",,"], "--batch-sizes"));

        // 15. Duplicate class names: --classes a,b resolved silently to the first of each.
        yield return ClassNames("classes.txt: a repeated name", "line 3 repeats the class name 'a' of line 1", f => f.WriteText("data/classes.txt", "a\nb\na\n"));

        // 16. An NPZ whose only entry is ../arr_0.npy: data info reported the split "not available" and exited 0.
        yield return Case("npz: an entry named ../arr_0.npy, through data info", "entry '../arr_0.npy' has a path in its name", f =>
        {
            var data = f.Folder("data");
            var images = f.Write("data/x-train-imgs.npz", NpzOf(NpyImages(6), "../arr_0.npy"));
            f.Write("data/x-train-labels.npz", NpzOf(NpyLabels(6)));
            return new(CaseFolder.DataInfo(data), images);
        });

        // 17. data show --png replaced a FIFO or a device with a regular file.
        yield return Case("output: data show --png to a FIFO", "is a FIFO (named pipe), not a regular file; LogReg writes only regular files", f =>
        {
            var data = f.Dataset();
            return new(["data", "show", data, "--no-download", "--style", "ascii", "--png", Fifo(f.File("digit.png"))], f.File("digit.png"));
        });

        // 18. --out an existing file or /dev/null failed only after training, losing the model.
        yield return Case("output: train --out an existing file", "is a file, not a folder (--out names the folder", f =>
        {
            var data = f.Dataset();
            var file = f.WriteText("out", "an existing file");
            return new(f.Train(data), file);
        });
        yield return Case("output: train --out /dev/null", "is a character device, not a folder", f =>
            new([.. f.Train(f.Dataset())[..^1], "/dev/null"], "/dev/null"));

        // 19. Errors that did not name the file.
        yield return YamlCase("yaml: 100000 folds", "line 5: validation.folds must be between 2 and 100 (was 100000)", data => $"name: corpus\ndataset: {data}\nvalidation:\n  method: kfold\n  folds: 100000\n");
        yield return YamlCase("yaml: dataset ~", "line 2: dataset is empty", _ => "name: corpus\ndataset: ~\nselect: train_accuracy\n");
        yield return YamlCase("yaml: a 300-character name", "has 300 characters, more than the limit of 100", data => $"name: {new string('n', 300)}\ndataset: {data}\n");
        yield return ModelCase("model: empty weights with a 65536x65536 shape", "image_shape 65536x65536 with 3 output unit(s) needs 4294967296 features", () => ModelWith(m =>
        {
            m["image_shape"] = new JsonArray(65536, 65536);
            m["weights"] = new JsonArray();
        }));
        yield return Case("yaml: a hold-out of 0.99999 with batch size 1", "spec.yaml", f =>
        {
            var spec = f.WriteText("spec.yaml", $"name: corpus\ndataset: {f.Dataset()}\noptions:\n  batch_size: 1\nvalidation:\n  method: holdout\n  fraction: 0.99999\n");
            return new(f.ExperimentRun(spec), spec);
        });

        // 20. int32 overflow in a message: 65535x65535 "needs -131071".
        yield return ModelCase("model: a 65535x65535 shape, sizes in 64 bits", "needs 4294836225 features and 12884508675 weights", () => ModelWith(m => m["image_shape"] = new JsonArray(65535, 65535)));

        // 22. experiment show on a corrupt results.json was an internal error.
        yield return Case("report: experiment show on a corrupt results.json", "not a valid results file", f =>
        {
            var experiment = f.Folder("experiment");
            f.WriteText("experiment/experiment.json", "{\"name\": \"corpus\", \"dataset\": \"mnist\", \"runs\": 1}");
            f.WriteText("experiment/results.md", "| point |\n");
            return new(["experiment", "show", experiment], f.WriteText("experiment/results.json", "not json at all"));
        });
    }
}

/// <summary>Attacks tried after issue 15: what else a user or a hostile file controls.</summary>
public static partial class Corpus
{
    private static IEnumerable<CorpusCase> Attacks()
    {
        // Links.
        yield return Case("attack: --model is a symbolic link loop", "model.json", f =>
        {
            File.CreateSymbolicLink(f.File("loop-b"), f.File("model.json"));
            var model = File.CreateSymbolicLink(f.File("model.json"), f.File("loop-b")).FullName;
            return new(["eval", "--model-file", model, "--images", f.Write("images.idx", Images()), "--labels", f.Write("labels.idx", Labels())], model);
        });
        yield return Case("attack: --images is a dangling symbolic link", "file not found", f =>
        {
            var images = File.CreateSymbolicLink(f.File("images.idx"), f.File("gone.idx")).FullName;
            return new(f.Eval(images, f.Write("labels.idx", Labels())), images);
        });
        yield return Case("attack: predict INPUT is a link to /dev/zero", "is a character device, not a regular file", f =>
        {
            var input = File.CreateSymbolicLink(f.File("digit.png"), "/dev/zero").FullName;
            return new(["predict", "--model-file", f.Model(), input], input);
        });
        yield return Case("attack: predict INPUT is a link to a FIFO", "is a FIFO (named pipe), not a regular file", f =>
        {
            Fifo(f.File("pipe"));
            var input = File.CreateSymbolicLink(f.File("digit.png"), f.File("pipe")).FullName;
            return new(["predict", "--model-file", f.Model(), input], input);
        });
        yield return Case("attack: eval --labels /dev/zero", "is a character device, not a regular file", f =>
            new(f.Eval(f.Write("images.idx", Images()), "/dev/zero"), "/dev/zero"));
        yield return Case("attack: report DIR whose model.json is a FIFO", "is a FIFO (named pipe), not a regular file", f =>
        {
            var run = f.Folder("run");
            return new(["report", run, "--no-download"], Fifo(f.File("run/model.json")));
        });
        yield return Case("attack: experiment show DIR whose results.md is a FIFO", "is a FIFO (named pipe), not a regular file", f =>
        {
            var experiment = f.Folder("experiment");
            f.WriteText("experiment/experiment.json", "{\"name\": \"corpus\", \"dataset\": \"mnist\", \"runs\": 1}");
            return new(["experiment", "show", experiment], Fifo(f.File("experiment/results.md")));
        });

        // Sizes a file claims or has.
        yield return CsvTrain("attack: a CSV line of 5 million characters without a line break", "line 1: longer than 4194372 characters", () => new string('7', 5_000_000));
        yield return Case("attack: a gzip CSV inflating to one endless line", "line 1: longer than 4194372 characters", f =>
        {
            var data = f.Folder("data");
            var train = f.Write("data/train.csv.gz", IdxBytes.Gzip(Encoding.ASCII.GetBytes(new string('1', 8_000_000))));
            f.WriteText("data/test.csv", Csv(3, i => i % 3));
            return new(f.Train(data), train);
        });
        yield return CsvTrain("attack: a CSV row of 2 million pixels", "found 2000000 pixel columns, more than the limit of 1048576", () => "0" + new StringBuilder(4_000_000).Insert(0, ",0", 2_000_000) + "\n");
        yield return EvalImages("attack: IDX images declaring 65536x65536 pixels in a small file", "images of 65536x65536 have 4294967296 pixels, more than the limit", Concat(Header(0x08, 3, 1, 65536, 65536), new byte[64]));
        yield return NpzImages("attack: NPZ images of shape (1, 100000, 100000)", "images of 100000x100000 have 10000000000 pixels", NpzOf(NpzBytes.Npy("|u1", false, [1, 100_000, 100_000], new byte[16])));
        yield return NpzImages("attack: NPZ images of shape (1, 2000000)", "images of 1x2000000 have 2000000 pixels", NpzOf(NpzBytes.Npy("|u1", false, [1, 2_000_000], new byte[16])));
        yield return Case("attack: a 2 GiB (sparse) model file", "more than the 1.1 GB LogReg reads", f =>
        {
            var model = Sparse(f.File("model.json"), 2L << 30);
            return new(["eval", "--model-file", model, "--images", f.Write("images.idx", Images()), "--labels", f.Write("labels.idx", Labels())], model);
        });
        yield return Case("attack: a 2 GiB (sparse) spec file", "more than the 1.0 MB LogReg reads", f =>
        {
            var spec = Sparse(f.File("spec.yaml"), 2L << 30);
            return new(f.ExperimentRun(spec), spec);
        });
        yield return ClassNames("attack: a 2 GiB (sparse) classes.txt", "more than the 1.0 MB LogReg reads", f => Sparse(f.File("data/classes.txt"), 2L << 30));
        yield return ModelCase("attack: a model with 2000 class names", "class_names has 2000 entries, more than the limit of 1000 classes", () => ModelWith(m => m["class_names"] = new JsonArray([.. Enumerable.Range(0, 2000).Select(i => (JsonNode?)$"c{i}")])));

        // Text a user or a file controls.
        yield return CsvCase("attack: NaN in a CSV pixel", "line 1, column 4: 'NaN' is not a whole number", ReplaceCell(CsvRows().Split('\n')[0], 3, "NaN") + "\n");
        yield return CsvCase("attack: Infinity in a CSV pixel", "line 1, column 2: 'Infinity' is not a whole number", ReplaceCell(CsvRows().Split('\n')[0], 1, "Infinity") + "\n");
        yield return CsvCase("attack: a CSV label of 1e10", "line 1, column 1: '1e10' is not a whole number", ReplaceCell(CsvRows().Split('\n')[0], 0, "1e10") + "\n");
        yield return YamlCase("attack: YAML billion laughs (anchors and aliases)", "more than 100 aliases", data =>
        {
            var laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (var i = 1; i < 12; i++)
            {
                laughs.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
            }

            return $"name: corpus\ndataset: {data}\n{laughs}";
        });
        yield return YamlCase("attack: YAML block sequences nested 50000 deep on one line", "nested more than 32 levels deep", data => $"name: corpus\ndataset: {data}\nseeds:\n  {string.Concat(Enumerable.Repeat("- ", 50_000))}1\n");
        yield return YamlCase("attack: YAML mappings nested 40 deep", "nested more than 32 levels deep", data => $"name: corpus\ndataset: {data}\noptions: {string.Concat(Enumerable.Repeat("{a: ", 40))}1{new string('}', 40)}\n");
        yield return YamlCase("attack: a YAML key given twice", "line 5: not valid YAML: Duplicate key epochs", data => $"name: corpus\ndataset: {data}\noptions:\n  epochs: 1\n  epochs: 100000\n");
        yield return YamlCase("attack: an experiment name with a tab", "contains 'U+0009'", data => $"name: \"a\\tb\"\ndataset: {data}\n");
        yield return YamlCase("attack: an experiment name that looks like an option", "name '-rf' must be usable as a folder name: it starts with '-'", data => $"name: \"-rf\"\ndataset: {data}\n");
        yield return YamlCase("attack: an experiment name with an emoji", "contains '😀'", data => $"name: run😀\ndataset: {data}\n");
        yield return ClassNames("attack: classes.txt with a blank line between names", "line 2 is blank", f => f.WriteText("data/classes.txt", "a\n\nc\n"));
        yield return ClassNames("attack: classes.txt with a 1000-character name", "holds a name of 1000 characters, more than the limit of 200", f => f.WriteText("data/classes.txt", $"a\n{new string('b', 1000)}\nc\n"));
        yield return Case("attack: a dataset folder with a non-ASCII name and a cut file", "données-ü", f =>
        {
            var data = SyntheticFolder.Write(f.File("données-ü"), 12, 6, 3);
            var images = f.Write("données-ü/train-images-idx3-ubyte", IdxBytes.Images(12, 4, 4)[..100]);
            return new(f.Train(data), images);
        });
        yield return Case("attack: --model with a 5000-character path", "cannot be read: the path, or one of its names, is too long", f =>
        {
            var model = f.File(string.Join('/', Enumerable.Repeat(new string('m', 200), 25)) + ".json");
            return new(["eval", "--model-file", model, "--images", f.Write("images.idx", Images()), "--labels", f.Write("labels.idx", Labels())], model);
        });

        // Options and outputs.
        yield return Case("attack: train --threads -1", "Threads must be between 0 (one per core) and 256 (was -1)", f =>
            new([.. f.Train(f.Dataset()), "--threads", "-1"], "Threads"));
        yield return Case("attack: bench --models ,,", "--models names no model", f =>
            new(["bench", "--dataset", f.Dataset(), "--no-download", "--models", ",,"], "--models"));
        yield return Case("attack: experiment run --max-runs 2 on a grid of 3", "the spec expands to 3 runs (3 grid points x 1 seed(s) x 1 fold(s)), more than the limit of 2", f =>
        {
            var spec = f.WriteText("spec.yaml", Gridded(f.Dataset(), "  learning_rate: [0.1, 0.2, 0.3]\n"));
            return new([.. f.ExperimentRun(spec), "--max-runs", "2"], spec);
        });
        yield return Case("attack: train --out a folder whose model.json is a folder", "is a directory, not a regular file", f =>
        {
            var data = f.Dataset();
            return new(f.Train(data), f.Folder("out/model.json"));
        });
        yield return Case("attack: train --out below a file", "is a file, so the folder", f =>
        {
            var data = f.Dataset();
            var file = f.WriteText("out", "a file");
            return new([.. f.Train(data)[..^1], f.File("out/run")], file);
        });
        yield return Case("attack: experiment run --out a FIFO", "is a FIFO (named pipe), not a folder", f =>
        {
            var spec = f.Spec(f.Dataset());
            return new(f.ExperimentRun(spec), Fifo(f.Out));
        });
        yield return Case("attack: --data-dir is /dev/null", "is a file, not a folder", _ => new(["data", "info", "kmnist", "--data-dir", "/dev/null", "--no-download"], "/dev/null"));
        yield return Case("attack: experiment run --dataset FOLDER whose 250-character name would make the runs folder name too long", "give the folder with --out", f =>
        {
            var data = SyntheticFolder.Write(f.File(new string('d', 250)), 12, 6, 3);
            return new(["experiment", "run", f.Spec(data), "--no-download", "--dataset", data], "--out");
        });
        yield return Case("attack: experiment run --resume into a folder this user cannot write", "cannot be written", f =>
        {
            var spec = f.Spec(f.Dataset());
            var output = f.Folder("out");
            return new([.. f.ExperimentRun(spec), "--resume"], output, Unreadable: output);
        });
    }
}
