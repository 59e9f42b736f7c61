package dev.aura.token;

import dev.aura.spi.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Bulk issuance files, for {@code aura mothership token issue --bulk team.csv --expires-in 72h}.
 *
 * <p>Input: a header line {@code email,role}, then one {@code email,role} per line (blank lines ignored, no
 * quoting). The whole file is validated before anything is issued; the first problem is reported with its
 * line number. Output: {@code email,role,jti,expires,token}, one line per token.
 *
 * <pre>{@code
 * List<BulkIssuance.Row> rows = BulkIssuance.parse(Files.newBufferedReader(path));
 * List<IssuedJoinToken> tokens = issuer.issueBulk(rows, TokenDuration.parse("72h"));
 * BulkIssuance.writeCsv(tokens, out);
 * }</pre>
 *
 * <p><b>Warning:</b> the output holds live tokens. Write it to an owner-only file and distribute each row
 * over a secure channel.
 */
public final class BulkIssuance {
  /** Largest number of rows accepted in one file. */
  public static final int MAX_ROWS = 10_000;
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

  private BulkIssuance() {}

  /**
   * One validated row.
   *
   * @param line its line number in the file
   * @param email the subject
   * @param role the role
   */
  public record Row(int line, String email, Role role) {}

  /**
   * Reads and validates a whole file.
   *
   * @throws TokenIssuanceException naming the line and the problem; nothing has been issued
   * @throws IOException if the reader failed
   */
  public static List<Row> parse(Reader csv) throws TokenIssuanceException, IOException {
    BufferedReader reader = csv instanceof BufferedReader b ? b : new BufferedReader(csv);
    String header = reader.readLine();
    if (header != null && header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    if (header == null || !header.strip().toLowerCase(Locale.ROOT).replace(" ", "").equals("email,role")) {
      throw new TokenIssuanceException("line 1: expected the header 'email,role'"
          + (header == null ? ", the file is empty" : ""));
    }
    List<Row> rows = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    String line;
    int number = 1;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (fields.length != 2) {
        throw new TokenIssuanceException("line " + number + ": expected 2 fields (email,role), found "
            + fields.length);
      }
      String email = fields[0].strip();
      String roleText = fields[1].strip();
      if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
        throw new TokenIssuanceException("line " + number + ": '"
            + dev.aura.token.internal.StrictJson.printable(email) + "' is not an e-mail address");
      }
      Role role;
      try {
        role = Role.parseLenient(roleText);
      } catch (IllegalArgumentException e) {
        throw new TokenIssuanceException("line " + number + ": " + e.getMessage());
      }
      Integer previous = seen.putIfAbsent(email.toLowerCase(Locale.ROOT), number);
      if (previous != null) {
        throw new TokenIssuanceException("line " + number + ": duplicate of line " + previous + " ("
            + email + ")");
      }
      if (rows.size() == MAX_ROWS) {
        throw new TokenIssuanceException("line " + number + ": more than " + MAX_ROWS + " rows");
      }
      rows.add(new Row(number, email, role));
    }
    if (rows.isEmpty()) {
      throw new TokenIssuanceException("the file has a header but no rows");
    }
    return List.copyOf(rows);
  }

  /** Writes {@code email,role,jti,expires,token} lines, with a header. */
  public static void writeCsv(List<IssuedJoinToken> tokens, Writer out) throws IOException {
    out.write("email,role,jti,expires,token\n");
    for (IssuedJoinToken t : tokens) {
      out.write(t.subject() + "," + t.role().wireName() + "," + t.jti() + "," + t.expiresAt() + ","
          + t.token() + "\n");
    }
    out.flush();
  }
}
