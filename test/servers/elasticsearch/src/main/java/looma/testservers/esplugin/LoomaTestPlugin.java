package looma.testservers.esplugin;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

/**
 * Test-only additions to Elastic's integ-test distribution, the one Elasticsearch 8 build on
 * Maven Central, which has the server and only a few modules:
 * <ul>
 * <li>the analysis components Looma's search subgraph uses, under the names and with the
 * parameters of Elasticsearch's analysis-common module, each wrapping the same Lucene class that
 * analysis-common wraps;
 * <li>{@code GET /} and {@code HEAD /} (the rest-root module).
 * </ul>
 * Written for this repo (not a copy of Elastic's modules); README.md lists what is there.
 */
public final class LoomaTestPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(Settings settings, NamedWriteableRegistry namedWriteableRegistry,
            RestController restController, ClusterSettings clusterSettings, IndexScopedSettings indexScopedSettings,
            SettingsFilter settingsFilter, IndexNameExpressionResolver indexNameExpressionResolver,
            Supplier<DiscoveryNodes> nodesInCluster, Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(new RootRestHandler(() -> clusterService));
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new TreeMap<>();
        m.put("cjk", Analyzers.Cjk::new);
        m.put("english", Analyzers.English::new);
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("edge_ngram", Tokenizers.EdgeNGram::new);
        m.put("ngram", Tokenizers.NGram::new);
        m.put("whitespace", Tokenizers.Whitespace::new);
        m.put("keyword", Tokenizers.Keyword::new);
        m.put("letter", Tokenizers.Letter::new);
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("asciifolding", TokenFilters.AsciiFolding::new);
        m.put("cjk_bigram", TokenFilters.CjkBigram::new);
        m.put("cjk_width", TokenFilters.CjkWidth::new);
        m.put("edge_ngram", TokenFilters.EdgeNGram::new);
        m.put("ngram", TokenFilters.NGram::new);
        m.put("flatten_graph", TokenFilters.FlattenGraph::new);
        m.put("kstem", TokenFilters.KStem::new);
        m.put("length", TokenFilters.Length::new);
        m.put("porter_stem", TokenFilters.PorterStem::new);
        m.put("stemmer", TokenFilters.Stemmer::new);
        m.put("trim", TokenFilters.Trim::new);
        m.put("truncate", TokenFilters.Truncate::new);
        m.put("unique", TokenFilters.Unique::new);
        m.put("uppercase", TokenFilters.UpperCase::new);
        m.put("synonym", requiresAnalysisSettings((is, env, name, s) -> new Synonyms(is, env, name, s, false)));
        m.put("synonym_graph", requiresAnalysisSettings((is, env, name, s) -> new Synonyms(is, env, name, s, true)));
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", CharFilters.HtmlStrip::new);
        m.put("mapping", requiresAnalysisSettings(CharFilters.Mapping::new));
        return m;
    }
}
