#:project ../src/LogReg/LogReg.csproj

// The README's "Use it from C#" quick start: fit a binary classifier on your own float arrays with string labels.
// Run with: dotnet run examples/QuickStart.cs   (tests/LogReg.Tests/Estimators/QuickStartTests.cs runs the same code)
using System.Globalization;
using LogReg.Estimators;
using LogReg.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Hours studied and hours slept before an exam, and how it went.
float[,] x =
{
    { 1, 4 }, { 2, 8 }, { 3, 5 }, { 4, 7 }, { 5, 4 }, { 6, 8 }, { 7, 6 }, { 8, 7 }, { 2, 6 }, { 6, 5 },
};
string[] y = ["fail", "fail", "fail", "pass", "fail", "pass", "pass", "pass", "fail", "pass"];

var model = new LogisticRegression<string> { Penalty = Penalty.L2, Lambda = 0.01 };
model.Fit(x, y);

Console.WriteLine($"classes: {string.Join(", ", model.Classes)}");
Console.WriteLine($"solver: {model.FittedOptimizer}, {model.StopReason} after {model.NIter} iterations");
Console.WriteLine($"weights: {model.Coef[0, 0]:0.000} per hour studied, {model.Coef[0, 1]:0.000} per hour slept, intercept {model.Intercept[0]:0.000}");
var student = new float[,] { { 5, 7 } };
Console.WriteLine($"5 h study, 7 h sleep: {model.Predict(student)[0]} (P(pass) = {model.PredictProba(student)[0, 1]:0.00})");
Console.WriteLine($"training accuracy: {model.Score(x, y):0.00}");
