using Google.Protobuf;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Features;
using Vigil.Scoring.Onnx;
using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Proto;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class OnnxModelInspectorTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    [Fact]
    public void The_schema_writes_the_field_numbers_of_the_ONNX_format()
    {
        var model = new ModelProto { IrVersion = 8 };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });

        // ir_version is field 1 (varint, tag 0x08); opset_import field 8 (length-delimited, tag 0x42) holding version as field 2 (tag 0x10).
        Assert.Equal(new byte[] { 0x08, 0x08, 0x42, 0x02, 0x10, 0x11 }, model.ToByteArray());
    }

    [Fact]
    public void An_exported_graph_reads_back_with_its_nodes_initializers_and_attributes()
    {
        var detector = StatisticalDetector.Fit(new FeatureMatrix([1, 2, 3, 4, 5, 7], 2, Names), new StatisticalDetectorOptions { MaxZ = 9 });
        var bytes = StatisticalExporter.Export(detector);

        var model = ModelProto.Parser.ParseFrom(bytes);

        Assert.Equal(["Sub", "Mul", "Abs", "Min", "ReduceMax"], model.Graph.Node.Select(n => n.OpType));
        var reduce = model.Graph.Node[^1];
        Assert.Equal([1L], reduce.Attribute.Single(a => a.Name == "axes").Ints);
        var maxZ = model.Graph.Initializer.Single(i => i.Name.StartsWith("max_z", StringComparison.Ordinal));
        Assert.Equal(9f, BitConverter.ToSingle(maxZ.RawData.Span));
        Assert.Equal(model.ToByteArray(), bytes);
    }

    [Fact]
    public void Inspect_reports_opsets_and_tensors_with_symbolic_rows()
    {
        var summary = OnnxModelInspector.Inspect(Reconstructor(width: 3));

        Assert.Equal(17, summary.Opsets["ai.onnx"]);
        var input = Assert.Single(summary.Inputs);
        Assert.Equal("features: float [N, 3]", input.ToString());
        Assert.Equal("vigil-scoring 1", summary.Producer);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect([]));

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_protobuf_are_refused_as_not_ONNX()
    {
        var error = Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect("PK\u0003\u0004 this is a zip file, not a model"u8.ToArray()));

        Assert.StartsWith("Not an ONNX model", error.Message);
    }

    [Fact]
    public void A_truncated_model_is_refused_by_the_inspector_and_by_ONNX_Runtime_without_a_crash()
    {
        var bytes = Reconstructor(width: 3);
        var truncated = bytes.AsSpan(0, bytes.Length * 2 / 3).ToArray();

        var inspected = Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect(truncated));
        var loaded = Assert.Throws<OnnxRuntimeException>(() => NativeOnnxRuntime.CpuHost.CreateSession(truncated));

        Assert.StartsWith("Not an ONNX model", inspected.Message);
        Assert.Equal(OrtErrorCode.InvalidProtobuf, loaded.Code);
    }

    [Fact]
    public void Corrupt_bytes_are_ONNX_Runtimes_clear_error()
    {
        var bytes = Reconstructor(width: 3);
        var corrupt = bytes.ToArray();
        for (var i = 8; i < corrupt.Length; i += 7) corrupt[i] ^= 0x5A;

        var error = Assert.ThrowsAny<OnnxRuntimeException>(() => NativeOnnxRuntime.CpuHost.CreateSession(corrupt));

        Assert.NotEqual(OrtErrorCode.Ok, error.Code);
        Assert.StartsWith("ONNX Runtime: ", error.Message);
    }

    [Fact]
    public void An_uploaded_autoencoder_of_the_pipelines_width_is_accepted()
    {
        var summary = OnnxModelInspector.ValidateAutoencoder(Reconstructor(width: 3), featureCount: 3);

        Assert.Equal([-1L, 3L], summary.Outputs[0].Shape);
    }

    [Fact]
    public void An_uploaded_autoencoder_of_another_width_is_refused_with_both_widths()
    {
        var error = Assert.Throws<OnnxModelException>(() => OnnxModelInspector.ValidateAutoencoder(Reconstructor(width: 4), featureCount: 3));

        Assert.Contains("[N, 4]", error.Message);
        Assert.Contains("gives 3 features", error.Message);
    }

    [Fact]
    public void A_model_with_two_outputs_is_not_an_autoencoder()
    {
        var detector = StatisticalDetector.Fit(new FeatureMatrix([1, 2, 3, 4, 5, 7], 2, Names));

        var error = Assert.Throws<OnnxModelException>(() => OnnxModelInspector.ValidateAutoencoder(StatisticalExporter.Export(detector), 3));

        Assert.Contains("one output", error.Message);
    }

    [Fact]
    public void An_uploaded_autoencoder_scores_its_reconstruction_error_like_the_trained_one()
    {
        using var detector = new UserAutoencoderDetector(NativeOnnxRuntime.CpuHost.CreateSession(Reconstructor(width: 3)), Names, chunkRows: 2);
        float[] values = [1, 2, 3, -4, 0, 8, 0.5f, 10, -1];

        var scores = detector.Score(new FeatureMatrix(values, 3, Names));

        // The reconstruction is 0.75 x: the error per feature is (0.25 x)^2 and the score its mean over the row.
        var expected = values.Select(v => 0.0625f * v * v).ToArray();
        Parity.Equal(expected, scores.Contributions!, "contributions");
        Parity.Equal([.. Enumerable.Range(0, 3).Select(r => expected.Skip(r * 3).Take(3).Average())], scores.Scores, "scores");
        Assert.Equal("autoencoder", detector.Name);
    }

    [Fact]
    public void A_session_whose_input_width_differs_from_the_pipeline_is_refused_before_scoring()
    {
        using var session = NativeOnnxRuntime.CpuHost.CreateSession(Reconstructor(width: 4));

        var error = Assert.Throws<OnnxModelException>(() => new UserAutoencoderDetector(session, Names));

        Assert.Contains("gives 3 features", error.Message);
    }

    [Fact]
    public void A_batch_with_other_features_than_the_graph_was_built_for_is_refused_before_native_code()
    {
        var detector = StatisticalDetector.Fit(new FeatureMatrix([1, 2, 3, 4, 5, 7], 2, Names));
        using var onnx = new OnnxDetector(detector.Name, NativeOnnxRuntime.CpuHost.CreateSession(StatisticalExporter.Export(detector)), Names);

        var error = Assert.Throws<ArgumentException>(() => onnx.Score(new FeatureMatrix([1, 2], 1, ["a", "b"])));

        Assert.Contains("3 features", error.Message);
    }

    /// <summary>A stand-in for an uploaded autoencoder: reconstruction = 0.75 x over [N, width].</summary>
    private static byte[] Reconstructor(int width)
    {
        var graph = new OnnxGraphBuilder("uploaded");
        var x = graph.Input(OnnxScoringGraph.Input, width);
        graph.Node("Mul", [x, graph.Scalar("shrink", 0.75f)], "reconstruction");
        graph.Output("reconstruction", width);
        return graph.ToBytes("test autoencoder");
    }
}
