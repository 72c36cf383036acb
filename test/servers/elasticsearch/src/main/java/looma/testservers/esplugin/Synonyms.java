package looma.testservers.esplugin;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

/**
 * {@code synonym} and {@code synonym_graph}: rules inline ({@code synonyms}) or from a file under
 * the config directory ({@code synonyms_path}); {@code format} solr (default) or wordnet;
 * {@code expand} (true), {@code lenient} (false: a bad rule fails the index; true: it is skipped),
 * {@code updateable} (true: search-time only). As in Elasticsearch, the rules are analysed with
 * the tokenizer, char filters and preceding filters of the analyzer the filter sits in. Not
 * supported: {@code synonyms_set} (the synonyms API).
 */
final class Synonyms extends AbstractTokenFilterFactory {
    private final Environment env;
    private final Settings settings;
    private final boolean graph;
    private final boolean expand;
    private final boolean lenient;
    private final String format;
    private final AnalysisMode mode;

    Synonyms(IndexSettings is, Environment env, String name, Settings settings, boolean graph) {
        super(name, settings);
        this.env = env;
        this.settings = settings;
        this.graph = graph;
        if (settings.get("synonyms_set") != null) {
            throw new IllegalArgumentException("[synonyms_set] (the synonyms API) is not available in Looma's"
                    + " test server: use [synonyms] or [synonyms_path]");
        }
        if (settings.get("synonyms") == null && settings.get("synonyms_path") == null
                && settings.getAsList("synonyms").isEmpty()) {
            throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or"
                    + " `synonyms_path` to be configured");
        }
        expand = settings.getAsBoolean("expand", true);
        lenient = settings.getAsBoolean("lenient", false);
        format = settings.get("format", "solr").toLowerCase(Locale.ROOT);
        if (!format.equals("solr") && !format.equals("wordnet")) {
            throw new IllegalArgumentException("unknown synonym format [" + format + "]: solr or wordnet");
        }
        mode = settings.getAsBoolean("updateable", false) ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
    }

    @Override
    public TokenStream create(TokenStream in) {
        throw new IllegalStateException("Call getChainAwareTokenFilterFactory to specialize this factory for an"
                + " analysis chain first");
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return mode;
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(IndexCreationContext context, TokenizerFactory tokenizer,
            List<CharFilterFactory> charFilters, List<TokenFilterFactory> previousTokenFilters,
            Function<String, TokenFilterFactory> allFilters) {
        Analyzer analyzer = new CustomAnalyzer(tokenizer, charFilters.toArray(CharFilterFactory[]::new),
                previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new));
        SynonymMap map = buildMap(analyzer);
        String filterName = name();
        boolean isGraph = graph;
        AnalysisMode analysisMode = mode;
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return filterName;
            }

            @Override
            public TokenStream create(TokenStream in) {
                if (map.fst == null) {
                    return in; // no rules: Lucene's filters refuse an empty map
                }
                return isGraph ? new SynonymGraphFilter(in, map, false) : new SynonymFilter(in, map, false);
            }

            @Override
            public TokenFilterFactory getSynonymFilter() {
                return IDENTITY_FILTER; // a synonym filter before this one does not rewrite its rules
            }

            @Override
            public AnalysisMode getAnalysisMode() {
                return analysisMode;
            }
        };
    }

    private SynonymMap buildMap(Analyzer analyzer) {
        List<String> rules = Analysis.getWordList(env, settings, "synonyms");
        try {
            SynonymMap.Parser parser = format.equals("wordnet")
                    ? new WordnetSynonymParser(true, expand, analyzer)
                    : new SolrSynonymParser(true, expand, analyzer);
            if (lenient) {
                for (String rule : rules) {
                    try {
                        parser.parse(new StringReader(rule));
                    } catch (ParseException | IllegalArgumentException e) {
                        // lenient: skip the rule, as Elasticsearch does
                    }
                }
            } else {
                parser.parse(new StringReader(String.join("\n", rules)));
            }
            return parser.build();
        } catch (ParseException e) {
            throw new IllegalArgumentException("failed to build synonyms: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to build synonyms", e);
        }
    }
}
