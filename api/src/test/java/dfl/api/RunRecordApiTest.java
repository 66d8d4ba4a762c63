package dfl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dfl.runtime.output.Npy;
import dfl.runtime.output.RunRecord;
import dfl.stdlib.runtime.DataArrays;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run records about itself (issue 14), and data bound from files with their shapes. */
class RunRecordApiTest {

    static final String MODEL = """
            prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));
            A = [[1.0, 0.5], [0.0, 1.0]];
            y = load("y.npy");
            s = 0.3;
            observe y ~ Normal(A @ x, s);
            sample x with tds(particles = 16, steps = 5);
            """;

    /** The SHA-256 of a file, computed here with the JDK alone. */
    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void aRunRecordsItsProgramInputsOverridesAndThreads(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.dfl");
        Files.writeString(model, MODEL);
        Npy.writeFloat64(dir.resolve("y.npy"), new long[] {2}, new double[] {1.0, 0.5});
        Npy.writeFloat64(dir.resolve("y2.npy"), new long[] {2}, new double[] {0.5, 0.25});
        DflModel m = Dfl.compile(model).bind("s", new double[] {0.5}).bind("y", dir.resolve("y2.npy"));
        try (SamplerRun r = m.sampler().optSteps(4).optSeed(2).optCommandLine(List.of("dfl", "run", "m.dfl")).build()) {
            Result res = r.run();
            RunRecord rec = res.record();
            assertEquals(List.of("dfl", "run", "m.dfl"), rec.commandLine());
            assertEquals(Map.of("s", 0.5), rec.sets());
            assertEquals(0, rec.particles(), "the program's particles were kept");
            assertEquals(4, rec.steps());
            assertEquals(model.toAbsolutePath().toString(), rec.program());
            assertEquals(sha256(model), rec.programSha256());
            assertEquals(List.of(new RunRecord.Input("bound", "y", dir.resolve("y2.npy").toAbsolutePath().toString(), sha256(dir.resolve("y2.npy")))),
                    rec.inputs(), "y.npy in the program was replaced by the bound file and never read");
            assertTrue(rec.threads().libtorchIntraOp() >= 1 && rec.threads().java() == 1, rec.threads().toString());
            res.writeTo(dir.resolve("out"));
            JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("out/summary.json"))).getAsJsonObject();
            assertEquals("{\"set\":{\"s\":0.5},\"steps\":4,\"data\":{\"y\":\"" + dir.resolve("y2.npy").toAbsolutePath() + "\"}}",
                    o.get("overrides").toString());
            assertEquals(2, o.get("seed").getAsInt());
            assertEquals("x", o.get("latent").getAsString());
        }
        // the program's own data file is recorded with its hash when it is read
        try (SamplerRun r = Dfl.compile(model).sampler().build()) {
            List<RunRecord.Input> in = r.run().record().inputs();
            assertEquals(List.of(new RunRecord.Input("data", "y.npy", dir.resolve("y.npy").toAbsolutePath().toString(), sha256(dir.resolve("y.npy")))), in);
        }
    }

    /**
     * bind(Path) keeps the file's shape where the program gives the data none: a (2, 3) array stays [2, 3] (a Java array
     * of the same values is [6]); where the program infers one (y, observed against A @ x), that shape is used.
     */
    @Test
    void bindingAFileKeepsItsShape(@TempDir Path dir) throws Exception {
        Npy.writeFloat64(dir.resolve("z.npy"), new long[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6});
        Npy.writeFloat64(dir.resolve("row.npy"), new long[] {1, 2}, new double[] {1.0, 0.5});
        DflModel m = Dfl.compile(MODEL.replace("sample x", "z = load(\"z.npy\");\nsample x"), "m.dfl");
        assertEquals("a tensor [2, 3]", m.bind("z", dir.resolve("z.npy")).compiled().analysis().binding("z").orElseThrow().value().describe());
        assertEquals("a tensor [6]", m.bind("z", new double[] {1, 2, 3, 4, 5, 6}).compiled().analysis().binding("z").orElseThrow().value().describe());
        DflModel y = m.bind("y", dir.resolve("row.npy"));
        assertArrayEquals(new double[] {1.0, 0.5}, y.bound().get("y"));
        assertEquals("a tensor [2]", y.compiled().analysis().binding("y").orElseThrow().value().describe(), "the shape A @ x gives y");
    }

    /** Round trips: the values and shape read back are those written, for .npy, .csv and .png. */
    @Test
    void dataFilesRoundTripWithTheirShapes(@TempDir Path dir) throws Exception {
        double[] v = {1.5, -2, 3.25, 4, 5, 6};
        Npy.writeFloat64(dir.resolve("a.npy"), new long[] {2, 3}, v);
        DataArrays.Array a = DataArrays.read(dir.resolve("a.npy"));
        assertArrayEquals(v, a.values());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        Npy.writeFloat32(dir.resolve("f.npy"), new long[] {3, 1, 2}, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new long[] {3, 1, 2}, DataArrays.read(dir.resolve("f.npy")).shape());

        Files.writeString(dir.resolve("t.csv"), "# a table\n1.5,-2,3.25\n4,5,6\n", StandardCharsets.UTF_8);
        DataArrays.Array t = DataArrays.read(dir.resolve("t.csv"));
        assertArrayEquals(v, t.values());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        Files.writeString(dir.resolve("col.csv"), "1\n2\n3\n");
        assertArrayEquals(new long[] {3}, DataArrays.read(dir.resolve("col.csv")).shape());

        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] grey = {0, 255, 51, 102, 153, 204};
        for (int i = 0; i < 6; i++) img.setRGB(i % 3, i / 3, grey[i] * 0x010101);
        ImageIO.write(img, "png", dir.resolve("i.png").toFile());
        DataArrays.Array p = DataArrays.read(dir.resolve("i.png"));
        assertArrayEquals(new long[] {2, 3}, p.shape(), "[height, width]");
        for (int i = 0; i < 6; i++) assertEquals(2 * grey[i] / 255.0 - 1, p.values()[i], 1e-6, "pixel " + i);
    }
}
