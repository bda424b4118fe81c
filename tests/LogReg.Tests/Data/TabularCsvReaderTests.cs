using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Data;

public sealed class TabularCsvReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_column_named_label_is_the_label_wherever_it_is_and_the_rest_are_features_in_file_order()
    {
        var path = _dir.WriteText("t.csv", "b,label,a\n1,x,2\n3,y,4\n");

        var data = TabularCsvReader.Read(path);

        Assert.Equal(["b", "a"], data.Table!.FeatureNames);
        Assert.Equal("label", data.Table.Schema.LabelColumn);
        Assert.Equal([1f, 2f, 3f, 4f], data.Table.Values.ToArray());
        Assert.Equal(["x", "y"], data.ClassNames);
        Assert.Equal([0, 1], data.Labels.ToArray());
        Assert.Equal("t", data.Provenance.Name);
    }

    [Fact]
    public void Without_a_label_column_the_first_column_is_the_label_unless_one_is_named()
    {
        var path = _dir.WriteText("t.csv", "kind,w,h\n0,1,2\n1,3,4\n");

        var first = TabularCsvReader.Read(path);
        Assert.Equal(["w", "h"], first.Table!.FeatureNames);
        Assert.Equal(["0", "1"], first.ClassNames);
        var byName = TabularCsvReader.Read(path, labelColumn: "h");
        Assert.Equal(["kind", "w"], byName.Table!.FeatureNames);
        Assert.Equal(["2", "4"], byName.ClassNames);
    }

    [Fact]
    public void Numeric_labels_are_ordered_as_numbers_and_text_labels_ordinally()
    {
        var numbers = TabularCsvReader.Read(_dir.WriteText("n.csv", "label,f\n10,0\n9,0\n-1,0\n9,1\n"));
        var text = TabularCsvReader.Read(_dir.WriteText("s.csv", "label,f\nb,0\nB,0\na,0\n"));

        Assert.Equal(["-1", "9", "10"], numbers.ClassNames);
        Assert.Equal([2, 1, 0, 1], numbers.Labels.ToArray());
        Assert.Equal(["B", "a", "b"], text.ClassNames);
    }

    [Fact]
    public void Quoted_cells_may_hold_commas_and_doubled_quotes()
    {
        var data = TabularCsvReader.Read(_dir.WriteText("q.csv", "\"size, cm\",label\n \"1.5\" ,\"say \"\"hi\"\"\"\n2,plain\n"));

        Assert.Equal(["size, cm"], data.Table!.FeatureNames);
        Assert.Equal(["plain", "say \"hi\""], data.ClassNames);
        Assert.Equal([1.5f, 2f], data.Table.Values.ToArray());
    }

    [Fact]
    public void Reading_for_a_model_matches_columns_by_name_and_labels_to_the_models_classes()
    {
        var schema = new TableSchema("y", ["a", "b"], ["no", "yes"]);
        var data = TabularCsvReader.ReadFor(_dir.WriteText("new.csv", "b,y,a\n1,yes,2\n3,no,4\n"), schema);

        Assert.Equal([2f, 1f, 4f, 3f], data.Table!.Values.ToArray());
        Assert.Equal([1, 0], data.Labels.ToArray());
        Assert.Equal(["no", "yes"], data.ClassNames);
    }

    [Fact]
    public void The_test_file_of_a_pair_is_named_with_test_for_train()
    {
        var train = _dir.WriteText("wine-train.csv", "label,f\na,1\n");
        Assert.Null(TabularCsvReader.TestPathFor(train));

        var test = _dir.WriteText("wine-test.csv", "label,f\na,1\n");

        Assert.Equal(test, TabularCsvReader.TestPathFor(train));
        Assert.True(TabularCsvReader.IsTablePath(train));
        Assert.False(TabularCsvReader.IsTablePath(_dir.Path));
    }

    [Fact]
    public void A_test_split_with_fewer_classes_and_other_column_order_is_conformed_to_the_training_split()
    {
        var train = TabularCsvReader.Read(_dir.WriteText("t-train.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,z\n"));
        var test = TabularCsvReader.Read(_dir.WriteText("t-test.csv", "label,b,a\nz,20,10\n"), split: "test");

        var conformed = TabularCsvReader.Conform(test, train);

        Assert.Equal(["x", "y", "z"], conformed.ClassNames);
        Assert.Equal([2], conformed.Labels.ToArray());
        Assert.Equal([10f, 20f], conformed.Table!.Values.ToArray());
    }

    [Fact]
    public void Zscore_is_fitted_on_the_training_rows_only_and_a_constant_column_scales_to_zero()
    {
        var data = TabularCsvReader.Read(_dir.WriteText("t.csv", "label,x,c\na,1,7\nb,3,7\na,5,7\nb,7,7\n"));
        var train = data.Select([0, 1], "first 2");

        var scaler = FeatureScaler.Fit(train, ScalingKind.ZScore);
        var features = scaler.Transform(data);

        Assert.Equal([2f, 7f], scaler.Offset);
        Assert.Equal([1f, 0f], scaler.Scale);
        Assert.Equal([-1f, 0f, 1f, 0f, 3f, 0f, 5f, 0f], features.Data);
    }

    [Fact]
    public void A_table_model_keeps_its_schema_through_the_model_file_and_predicts_rows_the_same_after_loading()
    {
        var data = TabularCsvReader.Read(_dir.WriteText("t.csv", "label,x,y\nlow,0,1\nhigh,5,1.5\nlow,0.5,0\nhigh,6,2\n"));
        var prepared = PreparedData.Prepare(data, null, new DataPreparation { Scaling = ScalingKind.ZScore });
        var trained = TrainingPipeline.Train(prepared, ModelKind.Logistic, new TrainingOptions { Epochs = 20, BatchSize = 4 }).Model;
        var path = _dir.File("model.json");

        ModelFile.Save(trained, path);
        var loaded = ModelFile.Load(path);

        Assert.Equal(trained.Table, loaded.Table);
        Assert.Equal(["high", "low"], loaded.Table!.ClassNames);
        Assert.Contains("\"format_version\": 3", File.ReadAllText(path), StringComparison.Ordinal);
        var (before, after) = (trained.PredictRow([5f, 1.5f]), loaded.PredictRow([5f, 1.5f]));
        Assert.Equal(before.Class, after.Class);
        Assert.Equal(before.Probabilities, after.Probabilities);
        Assert.Equal(0, loaded.PredictRow([6f, 2f]).Class);
    }
}
