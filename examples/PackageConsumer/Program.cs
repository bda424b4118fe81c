using System.Globalization;
using System.Reflection;
using LogReg.Estimators;

// Three classes of points around (0, 0), (4, 0) and (0, 4), with string labels.
float[,] x =
{
    { 0, 0 }, { 1, 0 }, { 0, 1 }, { 4, 0 }, { 5, 0 }, { 4, 1 }, { 0, 4 }, { 1, 4 }, { 0, 5 }, { 1, 1 }, { 5, 1 }, { 1, 5 },
};
string[] y = ["origin", "origin", "origin", "east", "east", "east", "north", "north", "north", "origin", "east", "north"];

var model = new SoftmaxRegression<string>();
model.Fit(x, y);

var assembly = typeof(SoftmaxRegression).Assembly;
var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LogReg {version} from {assembly.Location}"));
Console.WriteLine($"classes: {string.Join(", ", model.Classes)}");
Console.WriteLine($"(4.5, 0.5) -> {model.Predict(new float[,] { { 4.5f, 0.5f } })[0]}, (0.5, 4.5) -> {model.Predict(new float[,] { { 0.5f, 4.5f } })[0]}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training accuracy: {model.Score(x, y):0.00}"));
