package looma.testservers.esplugin;

import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;

/** Char filters: html_strip ({@code escaped_tags}) and mapping ({@code mappings}(_path), "a => b"). */
final class CharFilters {
    private CharFilters() {}

    static final class HtmlStrip extends AbstractCharFilterFactory {
        private final Set<String> escapedTags;

        HtmlStrip(IndexSettings is, Environment env, String name, Settings settings) {
            super(name);
            List<String> tags = settings.getAsList("escaped_tags");
            escapedTags = tags.isEmpty() ? null : new HashSet<>(tags);
        }

        @Override
        public Reader create(Reader reader) {
            return new HTMLStripCharFilter(reader, escapedTags);
        }
    }

    static final class Mapping extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {
        private final NormalizeCharMap map;

        Mapping(IndexSettings is, Environment env, String name, Settings settings) {
            super(name);
            List<String> rules = Analysis.getWordList(env, settings, "mappings");
            if (rules == null) {
                throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
            }
            NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
            for (String rule : rules) {
                int arrow = rule.indexOf("=>");
                if (arrow < 0) {
                    throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
                }
                String from = unescape(rule.substring(0, arrow).trim());
                String to = unescape(rule.substring(arrow + 2).trim());
                if (from.isEmpty()) {
                    throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
                }
                builder.add(from, to);
            }
            map = builder.build();
        }

        @Override
        public Reader create(Reader reader) {
            return new MappingCharFilter(map, reader);
        }

        /** \\, \n, \t, \r, \b, \f, \" and \\uXXXX, as in Elasticsearch's mapping rules. */
        private static String unescape(String s) {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != '\\' || i + 1 >= s.length()) {
                    out.append(c);
                    continue;
                }
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 >= s.length()) {
                            throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                        }
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(n);
                }
            }
            return out.toString();
        }
    }
}
