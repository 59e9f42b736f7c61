package dev.aura.app.direct;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzz test of the direct-connection framing (docs/security.md, "Fuzzing"): {@link Frames#read},
 * which reads every frame another peer sends over a direct link, returns a JSON object or throws
 * {@link IOException} (the link then closes); never another exception. The input is read twice: as the raw
 * stream (length prefixes and all, frame after frame until the stream ends), and as the body of one frame
 * whose length prefix is made to match, so the fuzzer reaches the JSON parsing without having to guess a
 * length. Regression corpus: {@code src/test/resources/dev/aura/app/direct/DirectFramesFuzzTestInputs/}.
 */
class DirectFramesFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void frameRead(byte[] data) throws IOException {
    readAll(data);
    if (data.length > 0) {
      ByteArrayOutputStream framed = new ByteArrayOutputStream(data.length + 4);
      new DataOutputStream(framed).writeInt(data.length);
      framed.write(data);
      readAll(framed.toByteArray());
    }
  }

  private static void readAll(byte[] stream) {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream));
    try {
      while (true) {
        Frames.read(in);
      }
    } catch (IOException expected) {
      // typed rejection, or the end of the stream (EOFException)
    }
  }
}
