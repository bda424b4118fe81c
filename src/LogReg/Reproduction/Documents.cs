using System.Globalization;
using LogReg.Common;
using static LogReg.Reproduction.Checks;

namespace LogReg.Reproduction;

/// <summary>
/// The four source documents LogReg reproduces. Every number here is quoted from the source with its table, figure or
/// section; the wording is ours. A new preset is one name in a section's Experiments; a new claim is one Claim entry.
/// </summary>
public static class Documents
{
    private const string Kmnist0v6 = "kmnist-logistic-0v6.yaml";
    private const string Kmnist2v6 = "kmnist-logistic-2v6.yaml";
    private const string KmnistSoftmax = "kmnist-softmax.yaml";
    private const string Mnist2v3 = "mnist-logistic-2v3.yaml";
    private const string Mnist2v8 = "mnist-logistic-2v8.yaml";
    private const string Mnist2v3Reg = "mnist-logistic-2v3-regularization.yaml";
    private const string Mnist2v8Reg = "mnist-logistic-2v8-regularization.yaml";
    private const string Mnist2v3MiniBatch = "mnist-report-minibatch-2v3.yaml";
    private const string Mnist2v8MiniBatch = "mnist-report-minibatch-2v8.yaml";
    private const string MnistSoftmaxL2 = "mnist-softmax-l2.yaml";
    private const string MnistSoftmaxL1 = "mnist-softmax-l1.yaml";
    private const string Mnist1VsRest = "mnist-1-vs-rest.yaml";
    private const string MnistOvr = "mnist-ovr.yaml";
    private const string FashionRates = "fashion-softmax-learning-rates.yaml";

    // The notebook printed its ten-unit model's training accuracy after every 10 iterations (seed 003, printed output):
    // 78.4, 70.1, 85.367, 87.667, 78.567, 82.233, 70.167, 84.9, 87.233, 84.233, 91.267 %, as correct answers of 3,000.
    // (Declared before All: static fields initialise in order.)
    private static readonly (int Iteration, double Accuracy)[] NotebookPrinted =
        [(10, 2352 / 3000.0), (20, 2103 / 3000.0), (30, 2561 / 3000.0), (40, 2630 / 3000.0), (50, 2357 / 3000.0), (60, 2467 / 3000.0), (70, 2105 / 3000.0), (80, 2547 / 3000.0), (90, 2617 / 3000.0), (100, 2527 / 3000.0), (110, 2738 / 3000.0)];

    /// <summary>Every document LogReg reproduces, in the order <c>--list</c> shows them.</summary>
    public static IReadOnlyList<ReproductionDocument> All { get; } = [KmnistReport(), MnistReport(), MnistNotebook(), FashionBlog()];

    /// <summary>The documents' names, as <c>logreg reproduce</c> takes them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(d => d.Name)];

    /// <summary>The known document name closest to a mistyped <paramref name="name"/>, or null when none is close.</summary>
    public static string? ClosestName(string name) => DidYouMean.Closest(name, Names);

    /// <summary>The document named <paramref name="name"/>, or null.</summary>
    public static ReproductionDocument? Find(string name) => All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    private static PointRef At(string preset, params string[] pairs) => PointRef.At(preset, pairs);

    /// <summary>Fashion's learning-rate-0.1 run: Table 2's row, and (read after 50 to 350 epochs) all of Table 1.</summary>
    private static PointRef FashionRate01 => At(FashionRates, "learning_rate=0.1");

    /// <summary>A learning rate × batch size table of seed 000: rows of (lr, batch, val accuracy, test accuracy, test loss).</summary>
    private static PublishedTable GridTable(string caption, string reference, string preset, double[,] rows)
    {
        var values = new List<PublishedValue>();
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            var (lr, batch) = (Text(rows[i, 0]), Text(rows[i, 1]));
            var point = At(preset, $"learning_rate={lr}", $"batch_size={batch}");
            var label = $"lr {lr}, batch {batch}";
            values.Add(new(reference, label + ": validation accuracy", point, "val_accuracy", rows[i, 2]));
            values.Add(new(reference, label + ": test accuracy", point, "test_accuracy", rows[i, 3]));
            values.Add(new(reference, label + ": test loss", point, "test_loss", rows[i, 4]));
        }

        return new(caption, values);
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<PointRef> LossCurvePoints(string preset) =>
        [At(preset, "learning_rate=0.01", "batch_size=64"), At(preset, "learning_rate=0.01", "batch_size=128"), At(preset, "learning_rate=0.001", "batch_size=64"), At(preset, "learning_rate=0.001", "batch_size=128")];

    private static ReproductionDocument KmnistReport() => new()
    {
        Name = "kmnist-report",
        Title = "KMNIST: logistic regression (0 vs 6, 2 vs 6) and softmax regression",
        Source = "seed 000 (KMNIST report)",
        Summary = "the lr × batch-size grids with 10-fold cross-validation of 0 vs 6, 2 vs 6 and 10-class softmax (Tables 2-4, Figs. 2-9, 13-17)",
        SourceTrainImages = 60000,
        Sections =
        [
            new("4.1 Logistic regression, class 0 vs class 6", "z-scored pixels, zero weights, mini-batch SGD on the summed gradient, 100 epochs, 10-fold cross-validation; the grid's mean over folds.")
            {
                Experiments = [Kmnist0v6],
                Tables = [GridTable("Table 2: class 0 vs class 6", "seed 000, Table 2", Kmnist0v6, new[,]
                {
                    { 0.1, 64, 0.9961, 0.9875, 0.0385 }, { 0.1, 128, 0.9966, 0.9885, 0.0370 }, { 0.1, 256, 0.9968, 0.9875, 0.0358 },
                    { 0.01, 64, 0.9952, 0.9900, 0.0371 }, { 0.01, 128, 0.9966, 0.9880, 0.0357 }, { 0.01, 256, 0.9970, 0.9880, 0.0361 },
                    { 0.001, 64, 0.9950, 0.9900, 0.0366 }, { 0.001, 128, 0.9943, 0.9890, 0.0394 }, { 0.001, 256, 0.9934, 0.9890, 0.0448 },
                })],
                Figures =
                [
                    new CurvesFigure("seed 000, Figs. 2-5", "Training and validation loss, 0 vs 6 (fold 0)", LossCurvePoints(Kmnist0v6), ["train_loss", "val_loss"]),
                    new SweepFigure("seed 000, Table 2", "Test accuracy against the learning rate, one line per batch size", Kmnist0v6, "learning_rate", "batch_size", ["test_accuracy"], true),
                ],
                Claims =
                [
                    new("kmnist-0v6-above-98", "0 vs 6 is classified with a test accuracy above 98 %", "seed 000, Abstract and Table 2", Bound(At(Kmnist0v6), "test_accuracy", 0.98), DependsOnTrainingSize: true),
                    new("kmnist-0v6-batch-size-flat", "For 0 vs 6 the batch size hardly changes the test accuracy (within 1 point)", "seed 000, §4.1", Flat(Kmnist0v6, "batch_size", "test_accuracy", 0.01)),
                    new("kmnist-0v6-smaller-rate-better", "For 0 vs 6 a smaller learning rate gives a better test accuracy (within 0.2 points per step)", "seed 000, §4.1", Trend(Kmnist0v6, "learning_rate", "test_accuracy", Direction.Decreasing, 0.002)),
                ],
            },
            new("4.2 Logistic regression, class 2 vs class 6", "the same protocol as 4.1.")
            {
                Experiments = [Kmnist2v6],
                Tables = [GridTable("Table 3: class 2 vs class 6", "seed 000, Table 3", Kmnist2v6, new[,]
                {
                    { 0.1, 64, 0.9102, 0.8815, 0.2923 }, { 0.1, 128, 0.9158, 0.8855, 0.2838 }, { 0.1, 256, 0.9092, 0.8805, 0.2987 },
                    { 0.01, 64, 0.9177, 0.8860, 0.2845 }, { 0.01, 128, 0.9166, 0.8840, 0.2887 }, { 0.01, 256, 0.9166, 0.8850, 0.2873 },
                    { 0.001, 64, 0.9155, 0.8835, 0.2858 }, { 0.001, 128, 0.9152, 0.8830, 0.2867 }, { 0.001, 256, 0.9079, 0.8820, 0.2901 },
                })],
                Figures = [new CurvesFigure("seed 000, Figs. 6-9", "Training and validation loss, 2 vs 6 (fold 0)", LossCurvePoints(Kmnist2v6), ["train_loss", "val_loss"])],
                Claims =
                [
                    new("kmnist-2v6-above-85", "2 vs 6 is classified with a test accuracy above 85 %", "seed 000, Abstract and Table 3", Bound(At(Kmnist2v6), "test_accuracy", 0.85), DependsOnTrainingSize: true),
                    new("kmnist-2v6-harder-than-0v6", "2 vs 6 is harder than 0 vs 6 (best test accuracy at least 5 points lower)", "seed 000, §4.3", Greater(At(Kmnist0v6), At(Kmnist2v6), "test_accuracy", 0.05)),
                    new("kmnist-2v6-batch-size-flat", "For 2 vs 6 the batch size hardly changes the test accuracy (within 1 point)", "seed 000, §4.2", Flat(Kmnist2v6, "batch_size", "test_accuracy", 0.01)),
                ],
            },
            new("5 Softmax regression, 10 classes", "the same protocol over all ten classes.")
            {
                Experiments = [KmnistSoftmax],
                Tables = [GridTable("Table 4: softmax regression", "seed 000, Table 4", KmnistSoftmax, new[,]
                {
                    { 0.1, 64, 0.8202, 0.6818, 1.0572 }, { 0.1, 128, 0.8247, 0.7013, 1.0436 }, { 0.1, 256, 0.8330, 0.6985, 1.0383 },
                    { 0.01, 64, 0.8341, 0.7003, 1.0232 }, { 0.01, 128, 0.8317, 0.7029, 1.0099 }, { 0.01, 256, 0.8328, 0.7019, 1.0095 },
                    { 0.001, 64, 0.8327, 0.7050, 1.0057 }, { 0.001, 128, 0.8326, 0.7034, 1.0083 }, { 0.001, 256, 0.8279, 0.6982, 1.0070 },
                })],
                Figures =
                [
                    new CurvesFigure("seed 000, Figs. 13-16", "Training and validation loss, softmax (fold 0)", LossCurvePoints(KmnistSoftmax), ["train_loss", "val_loss"]),
                    new WeightsFigure("seed 000, Fig. 17", "Weights of each class (selected model) beside the class averages", At(KmnistSoftmax)),
                ],
                Claims =
                [
                    new("kmnist-softmax-about-70", "Softmax over the ten classes reaches about 70 % test accuracy (within 3 points)", "seed 000, Abstract and Table 4", Near(At(KmnistSoftmax), "test_accuracy", 0.70, 0.03), DependsOnTrainingSize: true),
                    new("kmnist-softmax-below-binary", "Ten classes are harder than either pair: softmax tests below 2 vs 6", "seed 000, §5.2", Greater(At(Kmnist2v6), At(KmnistSoftmax), "test_accuracy")),
                    new("kmnist-weights-resemble-characters", "Each class's weight image resembles the class's characters (correlation with the class average ≥ 0.3)", "seed 000, §5.3", WeightsResembleAverages(KmnistSoftmax, 0.3), DependsOnTrainingSize: true),
                ],
            },
        ],
    };

    private static ReproductionDocument MnistReport() => new()
    {
        Name = "mnist-report",
        Title = "MNIST: logistic regression (2 vs 3, 2 vs 8) with L1/L2, and softmax regression",
        Source = "seeds 001 and 002 (MNIST report; 002 is the later text and the default)",
        Summary = "2 vs 3 and 2 vs 8 by batch GD, the L1/L2 λ sweeps (weight length, test accuracy vs λ), softmax with annealing and L1/L2 (§2.4-2.5, §3.3, Figs. 1, 3, 5-9, 11, 12)",
        SourceTrainImages = 60000,
        Sections =
        [
            new("2.4 Logistic regression by batch gradient descent", "first 20,000 training and last 2,000 test images, /255, 10 % hold-out, full-batch GD at learning rate 0.005.")
            {
                Experiments = [Mnist2v3, Mnist2v8, Mnist2v3MiniBatch, Mnist2v8MiniBatch],
                Tables =
                [
                    new("Abstract and §2.4: binary test accuracy", [
                        new("seed 002, Abstract", "2 vs 3: test accuracy (about)", At(Mnist2v3), "test_accuracy", 0.98),
                        new("seed 002, Abstract and §2.4", "2 vs 8: test accuracy (about)", At(Mnist2v8), "test_accuracy", 0.97),
                    ]),
                ],
                Figures =
                [
                    new CurvesFigure("seed 002, Figs. 1 and 3", "Loss and accuracy per epoch on training, hold-out and test, 2 vs 3", [At(Mnist2v3)], ["train_loss", "val_loss", "test_loss", "train_accuracy", "val_accuracy", "test_accuracy"]),
                    new CurvesFigure("seed 002, Figs. 1 and 3", "Loss and accuracy per epoch on training, hold-out and test, 2 vs 8", [At(Mnist2v8)], ["train_loss", "val_loss", "test_loss", "train_accuracy", "val_accuracy", "test_accuracy"]),
                    new WeightsFigure("seed 002, Fig. 4", "Weights of the 2 vs 8 classifier", At(Mnist2v8)),
                    new CurvesFigure("seed 002, Fig. 2", "Mini-batch GD (batches of 360, about 10 % of the training images): loss per pass, 2 vs 3", [At(Mnist2v3MiniBatch)], ["train_loss", "val_loss", "test_loss"]),
                    new CurvesFigure("seed 002, Fig. 2", "Mini-batch GD (batches of 360, about 10 % of the training images): loss per pass, 2 vs 8", [At(Mnist2v8MiniBatch)], ["train_loss", "val_loss", "test_loss"]),
                ],
                Claims =
                [
                    new("mnist-2v3-about-98", "2 vs 3 reaches about 98 % test accuracy (within 1 point)", "seed 002, Abstract", Near(At(Mnist2v3), "test_accuracy", 0.98, 0.01)),
                    new("mnist-2v8-about-97", "2 vs 8 reaches about 97 % test accuracy (within 1 point)", "seed 002, Abstract and §2.4", Near(At(Mnist2v8), "test_accuracy", 0.97, 0.01)),
                    new("mnist-holdout-stands-in-for-test", "The hold-out accuracy is close to the test accuracy (within 2 points), 2 vs 8", "seed 002, §2.4 (mini-batch paragraph)", Close(At(Mnist2v8), "val_accuracy", "test_accuracy", 0.02)),
                ],
            },
            new("2.5 Regularisation: L1 and L2 over λ", "the same data and descent with an L1 or L2 penalty, λ from 0.0001 to 0.1.")
            {
                Experiments = [Mnist2v3Reg, Mnist2v8Reg],
                Figures =
                [
                    new SweepFigure("seed 002, Fig. 8", "Length of the weight vector against λ, 2 vs 8", Mnist2v8Reg, "lambda", "penalty", ["weight_norm"], true),
                    new SweepFigure("seed 002, Fig. 9", "Test accuracy against λ, 2 vs 8", Mnist2v8Reg, "lambda", "penalty", ["test_accuracy"], true),
                    new SweepFigure("seed 002, Fig. 9", "Test accuracy against λ, 2 vs 3", Mnist2v3Reg, "lambda", "penalty", ["test_accuracy"], true),
                    new WeightsFigure("seed 002, Fig. 10", "Weights with L1, λ = 0.1 (2 vs 8)", At(Mnist2v8Reg, "penalty=l1", "lambda=0.1")),
                    new WeightsFigure("seed 002, Fig. 10", "Weights with L2, λ = 0.1 (2 vs 8)", At(Mnist2v8Reg, "penalty=l2", "lambda=0.1")),
                ],
                Claims =
                [
                    new("mnist-l1-underfits-at-0.1", "L1 at λ = 0.1 underfits while L2 does not (2 vs 8: L2 at least 5 points more accurate, and at least 90 %)", "seed 002, §2.5 (Fig. 7)",
                        Both(Greater(At(Mnist2v8Reg, "penalty=l2", "lambda=0.1"), At(Mnist2v8Reg, "penalty=l1", "lambda=0.1"), "test_accuracy", 0.05), Bound(At(Mnist2v8Reg, "penalty=l2", "lambda=0.1"), "test_accuracy", 0.90))),
                    new("mnist-l2-norm-shrinks", "The weight vector gets shorter as λ grows, L2 (2 vs 8)", "seed 002, §2.5 (Fig. 8)", Trend(Mnist2v8Reg, "lambda", "weight_norm", Direction.Decreasing, 0, "penalty=l2")),
                    new("mnist-l1-norm-shrinks", "The weight vector gets shorter as λ grows, L1 (2 vs 8, L1 length)", "seed 002, §2.5 (Fig. 8)", Trend(Mnist2v8Reg, "lambda", "weight_l1_norm", Direction.Decreasing, 0, "penalty=l1")),
                    new("mnist-small-lambda-best-l1", "Test accuracy is best at a small λ (≤ 0.001), L1 (2 vs 8)", "seed 002, §2.5 (Fig. 9)", BestAtOrBelow(Mnist2v8Reg, "lambda", "test_accuracy", 0.001, "penalty=l1")),
                    new("mnist-small-lambda-best-l2", "Test accuracy is best at a small λ (≤ 0.001), L2 (2 vs 8)", "seed 002, §2.5 (Fig. 9)", BestAtOrBelow(Mnist2v8Reg, "lambda", "test_accuracy", 0.001, "penalty=l2")),
                    new("mnist-large-lambda-hurts-l1", "A large λ lowers the test accuracy, L1 (2 vs 8: λ 0.0001 beats λ 0.1)", "seed 002, §2.5", Greater(At(Mnist2v8Reg, "penalty=l1", "lambda=0.0001"), At(Mnist2v8Reg, "penalty=l1", "lambda=0.1"), "test_accuracy")),
                    new("mnist-l2-robust", "L2 is robust to λ: its test accuracy varies by at most 3 points over λ (2 vs 8)", "seed 002, §2.5", Flat(Mnist2v8Reg, "lambda", "test_accuracy", 0.03, "penalty=l2")),
                ],
            },
            new("3 Softmax regression, 10 classes", "first 20,000 training and last 2,000 test images, /255, 10 % hold-out, standard-normal weights, η(t) = η0 / (1 + t/T), L1 or L2.")
            {
                Experiments = [MnistSoftmaxL2, MnistSoftmaxL1],
                Tables =
                [
                    new("§3.3 (a): hold-out and test accuracy by penalty and λ (seed 002)", [
                        new("seed 002, §3.3 (a)", "L2, λ 0.0001: hold-out accuracy", At(MnistSoftmaxL2, "lambda=0.0001"), "val_accuracy", 0.901),
                        new("seed 002, §3.3 (a)", "L2, λ 0.0001: test accuracy", At(MnistSoftmaxL2, "lambda=0.0001"), "test_accuracy", 0.9355),
                        new("seed 002, §3.3 (a)", "L1, λ 0.0001: hold-out accuracy", At(MnistSoftmaxL1, "lambda=0.0001"), "val_accuracy", 0.8945),
                        new("seed 002, §3.3 (a)", "L1, λ 0.0001: test accuracy", At(MnistSoftmaxL1, "lambda=0.0001"), "test_accuracy", 0.9295),
                        new("seed 002, §3.3 (a)", "L1, λ 0.0005: hold-out accuracy", At(MnistSoftmaxL1, "lambda=0.0005"), "val_accuracy", 0.8845),
                        new("seed 002, §3.3 (a)", "L1, λ 0.0005: test accuracy", At(MnistSoftmaxL1, "lambda=0.0005"), "test_accuracy", 0.929),
                        new("seed 002, §3.3 (a)", "L2, λ 0.0005: hold-out accuracy", At(MnistSoftmaxL2, "lambda=0.0005"), "val_accuracy", 0.8985),
                        new("seed 002, §3.3 (a)", "L2, λ 0.0005: test accuracy", At(MnistSoftmaxL2, "lambda=0.0005"), "test_accuracy", 0.934),
                    ]),
                    new("§3.3 (a) of the first version (seed 001), where it differs", [
                        new("seed 001, §3.3 (a)", "L2, λ 0.01: hold-out accuracy", At(MnistSoftmaxL2, "lambda=0.01"), "val_accuracy", 0.9045),
                        new("seed 001, §3.3 (a)", "L2, λ 0.01: test accuracy", At(MnistSoftmaxL2, "lambda=0.01"), "test_accuracy", 0.927),
                        new("seed 001, §3.3 (a)", "L1, λ 0.0005: test accuracy", At(MnistSoftmaxL1, "lambda=0.0005"), "test_accuracy", 0.9315),
                        new("seed 001, §3.3 (a)", "L2, λ 0.0005: hold-out accuracy", At(MnistSoftmaxL2, "lambda=0.0005"), "val_accuracy", 0.8965),
                        new("seed 001, §3.3 (a)", "L2, λ 0.0005: test accuracy", At(MnistSoftmaxL2, "lambda=0.0005"), "test_accuracy", 0.9365),
                    ]),
                ],
                Figures =
                [
                    new CurvesFigure("seed 002, Fig. 11", "Loss and accuracy per epoch, L2 λ = 0.0001", [At(MnistSoftmaxL2, "lambda=0.0001")], ["train_loss", "val_loss", "test_loss", "train_accuracy", "val_accuracy", "test_accuracy"]),
                    new WeightsFigure("seed 002, Fig. 12", "Weights of each digit beside the class averages, L2 λ = 0.0001", At(MnistSoftmaxL2, "lambda=0.0001")),
                ],
                Claims =
                [
                    new("mnist-softmax-about-93.55", "Softmax with L2 λ = 0.0001 tests at about 93.55 % (within 1 point)", "seed 002, §3.3 (a)", Near(At(MnistSoftmaxL2, "lambda=0.0001"), "test_accuracy", 0.9355, 0.01)),
                    new("mnist-softmax-l2-beats-l1", "At λ = 0.0001, L2 has a higher hold-out accuracy than L1", "seed 002, §3.3 (a)", WhenDistinct(At(MnistSoftmaxL2, "lambda=0.0001"), At(MnistSoftmaxL1, "lambda=0.0001"), "val_accuracy", 0.001, Greater(At(MnistSoftmaxL2, "lambda=0.0001"), At(MnistSoftmaxL1, "lambda=0.0001"), "val_accuracy"))),
                    new("mnist-softmax-weights-resemble-averages", "Each digit's weight image correlates with its class average (r ≥ 0.3)", "seed 002, §3.4 (Fig. 12)", WeightsResembleAverages(MnistSoftmaxL2, 0.3)),
                ],
            },
        ],
    };

    /// <summary>Half an image of 3,000 (500): the tolerance of an exact count.</summary>
    private const double HalfOf3000 = 0.5 / 3000;
    private const double HalfOf500 = 0.5 / 500;

    private static ReproductionDocument MnistNotebook() => new()
    {
        Name = "mnist-notebook",
        Title = "MNIST notebook: digit 1 against the rest, and ten one-vs-rest sigmoid units",
        Source = "seed 003 (the notebook)",
        Summary = "the digit-1 model (99.233 % / 99.0 %) and the ten one-vs-rest units' printed accuracies on 3,000 / 500 images, exactly",
        SourceTrainImages = 60000,
        Sections =
        [
            new("Binary model: is it a 1?", "first 3,000 training and first 500 test images, raw pixels, zero weights, 100 full-batch iterations at rate 0.005 on the mean gradient.")
            {
                Experiments = [Mnist1VsRest],
                Tables =
                [
                    new("Printed output of the binary model", [
                        new("seed 003, printed output", "train accuracy", At(Mnist1VsRest), "train_accuracy", 2977.0 / 3000),
                        new("seed 003, printed output", "test accuracy", At(Mnist1VsRest), "test_accuracy", 0.990),
                    ]),
                ],
                Claims =
                [
                    new("notebook-digit1-train-exact", "The digit-1 model's training accuracy is the notebook's 99.233 % exactly (2,977 of 3,000)", "seed 003, printed output", Near(At(Mnist1VsRest), "train_accuracy", 2977.0 / 3000, HalfOf3000)),
                    new("notebook-digit1-test-exact", "The digit-1 model's test accuracy is the notebook's 99.0 % exactly (495 of 500)", "seed 003, printed output", Near(At(Mnist1VsRest), "test_accuracy", 0.990, HalfOf500)),
                ],
            },
            new("Ten one-vs-rest units", "the same data, ten sigmoid units, 110 full-batch iterations at rate 0.002; the class is the unit with the highest output.")
            {
                Experiments = [MnistOvr],
                Tables =
                [
                    new("Printed training accuracy every 10 iterations, and the test accuracy",
                        [.. NotebookPrinted.Select(p => new PublishedValue("seed 003, printed output", string.Create(CultureInfo.InvariantCulture, $"train accuracy after {p.Iteration} iterations"), At(MnistOvr), string.Create(CultureInfo.InvariantCulture, $"train_accuracy@{p.Iteration}"), p.Accuracy)),
                         new PublishedValue("seed 003, printed output", "test accuracy after 110 iterations", At(MnistOvr), "test_accuracy", 0.838)]),
                ],
                Figures =
                [
                    new CurvesFigure("seed 003, printed output", "Training and test accuracy per iteration", [At(MnistOvr)], ["train_accuracy", "test_accuracy"]),
                    new WeightsFigure("seed 003, weight figure", "Weights of each unit beside the class averages", At(MnistOvr)),
                ],
                Claims =
                [
                    new("notebook-ovr-iteration-10", "After 10 iterations the training accuracy is the notebook's 78.4 % exactly (its argmax over sigmoid outputs, saturated units tied at 1.0)", "seed 003, printed output", Near(At(MnistOvr), "train_accuracy@10", 0.784, HalfOf3000)),
                    new("notebook-ovr-iteration-20", "After 20 iterations the training accuracy is the notebook's 70.1 % exactly", "seed 003, printed output", Near(At(MnistOvr), "train_accuracy@20", 0.701, HalfOf3000)),
                    new("notebook-ovr-not-monotone", "The full-batch steps are unstable: the training accuracy falls between iterations 10 and 20 (78.4 % → 70.1 % in the notebook)", "seed 003, printed output", Falls(At(MnistOvr), "train_accuracy@10", "train_accuracy@20")),
                    new("notebook-ovr-test-about-84", "The ten units test at about 84 % (within 3 points)", "seed 003, printed output and text", Near(At(MnistOvr), "test_accuracy", 0.838, 0.03)),
                ],
            },
        ],
    };

    private static ReproductionDocument FashionBlog() => new()
    {
        Name = "fashion-blog",
        Title = "Fashion-MNIST: softmax regression with momentum and L2 weight decay",
        Source = "seed 004 (blog post)",
        Summary = "test accuracy on the first 2,000 test images by epochs and by learning rate (Tables 1-2), the least accurate classes",
        SourceTrainImages = 60000,
        Sections =
        [
            new("Accuracy by number of epochs", "softmax, full-batch GD with momentum and L2 weight decay at learning rate 0.1, tested on the first 2,000 test images; one 350-epoch run read after 50, 150, 250 and 350 epochs (a constant rate and no stopping rule: a shorter run is the same run cut short).")
            {
                Experiments = [FashionRates],
                Tables =
                [
                    new("Table 1: test accuracy by epochs (learning rate 0.1)", [
                        new("seed 004, Table 1", "50 epochs", FashionRate01, "test_accuracy@50", 0.7995),
                        new("seed 004, Table 1", "150 epochs", FashionRate01, "test_accuracy@150", 0.8170),
                        new("seed 004, Table 1", "250 epochs", FashionRate01, "test_accuracy@250", 0.8185),
                        new("seed 004, Table 1", "350 epochs", FashionRate01, "test_accuracy@350", 0.8205),
                    ]),
                ],
                Figures = [new CurvesFigure("seed 004, Table 1", "Test and training accuracy after each epoch at learning rate 0.1 (the table reads epochs 50, 150, 250, 350)", [FashionRate01], ["train_accuracy", "test_accuracy"])],
                Claims =
                [
                    new("fashion-more-epochs-better", "More epochs give a higher test accuracy (50 → 350, each step within 0.2 points)", "seed 004, Table 1", EpochTrend(FashionRate01, "test_accuracy", [50, 150, 250, 350], Direction.Increasing, 0.002)),
                ],
            },
            new("Accuracy by learning rate", "the same model at learning rates 0.001 to 0.8, 350 epochs each.")
            {
                Experiments = [FashionRates],
                Tables =
                [
                    new("Table 2: test accuracy by learning rate", [
                        new("seed 004, Table 2", "learning rate 0.8", At(FashionRates, "learning_rate=0.8"), "test_accuracy", 0.8370),
                        new("seed 004, Table 2", "learning rate 0.1", FashionRate01, "test_accuracy", 0.8200),
                        new("seed 004, Table 2", "learning rate 0.01", At(FashionRates, "learning_rate=0.01"), "test_accuracy", 0.7575),
                        new("seed 004, Table 2", "learning rate 0.001", At(FashionRates, "learning_rate=0.001"), "test_accuracy", 0.6610),
                    ]),
                ],
                Figures = [new SweepFigure("seed 004, Table 2", "Test accuracy against the learning rate", FashionRates, "learning_rate", null, ["test_accuracy"], true)],
                Claims =
                [
                    new("fashion-larger-rate-better", "A larger learning rate gives a higher test accuracy (0.001 → 0.8)", "seed 004, Table 2", Trend(FashionRates, "learning_rate", "test_accuracy", Direction.Increasing)),
                ],
            },
            new("Accuracy of each class", "the confusion matrix of the final model (the learning-rate experiment's point with the best training accuracy) on the first 2,000 test images.")
            {
                Experiments = [FashionRates],
                Figures =
                [
                    new PerClassFigure("seed 004, confusion matrix", "Test accuracy of each class, lowest first", FashionRates),
                    new WeightsFigure("seed 004", "Weights of each class beside the class averages", At(FashionRates)),
                ],
                Claims =
                [
                    new("fashion-shirt-least-accurate", "Shirt is the least accurate class", "seed 004, confusion matrix paragraph", LowestClass(FashionRates, "Shirt", 1)),
                    new("fashion-pullover-second", "Pullover is the second least accurate class", "seed 004, confusion matrix paragraph", LowestClass(FashionRates, "Pullover", 2)),
                    new("fashion-coat-third", "Coat is the third least accurate class", "seed 004, confusion matrix paragraph", LowestClass(FashionRates, "Coat", 3)),
                    new("fashion-footwear-bags-best", "The three most accurate classes are footwear or bags", "seed 004, confusion matrix paragraph", TopClassesAmong(FashionRates, 3, "Sandal", "Sneaker", "Ankle boot", "Bag")),
                ],
            },
        ],
    };
}
