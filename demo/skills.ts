/**
 * The demo skill taxonomy: `Name|CATEGORY|alias, alias`. Aliases cover the abbreviations and
 * spellings recruiters actually type; normalizeSkill maps all of them to the canonical name.
 */
export const SKILL_TAXONOMY = `
JavaScript|LANGUAGE|JS, ECMAScript, ES6, Java Script
TypeScript|LANGUAGE|TS
Python|LANGUAGE|Py, Python3
Java|LANGUAGE|J2SE, Java SE
Kotlin|LANGUAGE|KT
Scala|LANGUAGE|
Go|LANGUAGE|Golang
Rust|LANGUAGE|Rust lang
C|LANGUAGE|ANSI C
C++|LANGUAGE|CPP, C plus plus
C#|LANGUAGE|CSharp, C Sharp
Ruby|LANGUAGE|RB
PHP|LANGUAGE|PHP8
Swift|LANGUAGE|
Objective-C|LANGUAGE|ObjC
Elixir|LANGUAGE|
Erlang|LANGUAGE|
Haskell|LANGUAGE|
Clojure|LANGUAGE|
R|LANGUAGE|R language, RStats
Julia|LANGUAGE|
Dart|LANGUAGE|
Lua|LANGUAGE|
Perl|LANGUAGE|
Bash|LANGUAGE|Shell, Shell scripting
SQL|LANGUAGE|Structured Query Language
GraphQL|LANGUAGE|GQL
Solidity|LANGUAGE|
React|FRAMEWORK|ReactJS, React.js
Angular|FRAMEWORK|AngularJS, Angular 2
Vue.js|FRAMEWORK|Vue, VueJS
Svelte|FRAMEWORK|SvelteKit
Next.js|FRAMEWORK|NextJS, Next
Nuxt|FRAMEWORK|NuxtJS
Node.js|FRAMEWORK|Node, NodeJS
Express|FRAMEWORK|ExpressJS, Express.js
NestJS|FRAMEWORK|Nest
Django|FRAMEWORK|
Flask|FRAMEWORK|
FastAPI|FRAMEWORK|Fast API
Spring Boot|FRAMEWORK|Spring, SpringBoot
Ruby on Rails|FRAMEWORK|Rails, RoR
Laravel|FRAMEWORK|
ASP.NET Core|FRAMEWORK|ASP.NET, .NET Core, dotnet core
.NET|FRAMEWORK|dotnet, DotNet Framework
Phoenix|FRAMEWORK|Phoenix Framework
Flutter|MOBILE|
React Native|MOBILE|RN
SwiftUI|MOBILE|
Jetpack Compose|MOBILE|Compose
Android|MOBILE|Android SDK
iOS|MOBILE|iOS SDK
Apollo GraphQL|LIBRARY|Apollo, Apollo Federation
Redux|LIBRARY|Redux Toolkit
RxJS|LIBRARY|ReactiveX
jQuery|LIBRARY|
Tailwind CSS|LIBRARY|Tailwind, TailwindCSS
Bootstrap|LIBRARY|
Pandas|LIBRARY|
NumPy|LIBRARY|Numerical Python
SciPy|LIBRARY|
Hibernate|LIBRARY|JPA
Prisma|LIBRARY|Prisma ORM
SQLAlchemy|LIBRARY|
HTML|LANGUAGE|HTML5
CSS|LANGUAGE|CSS3
Sass|LANGUAGE|SCSS
PostgreSQL|DATABASE|Postgres, PG, PSQL
MySQL|DATABASE|
MariaDB|DATABASE|
SQLite|DATABASE|
Oracle Database|DATABASE|Oracle, Oracle DB
Microsoft SQL Server|DATABASE|MSSQL, SQL Server
MongoDB|DATABASE|Mongo
Redis|DATABASE|
Cassandra|DATABASE|Apache Cassandra
DynamoDB|DATABASE|Amazon DynamoDB
Elasticsearch|DATABASE|Elastic, ES, Elastic Search
Neo4j|DATABASE|Cypher
Snowflake|DATABASE|
BigQuery|DATABASE|Google BigQuery
ClickHouse|DATABASE|
Amazon Web Services|CLOUD|AWS, Amazon AWS
Google Cloud Platform|CLOUD|GCP, Google Cloud
Microsoft Azure|CLOUD|Azure
AWS Lambda|CLOUD|Lambda
Amazon S3|CLOUD|S3
Cloudflare|CLOUD|Cloudflare Workers
Heroku|CLOUD|
Docker|DEVOPS|Containers
Kubernetes|DEVOPS|K8s, Kube
Helm|DEVOPS|Helm charts
Terraform|DEVOPS|HCL, TF
Ansible|DEVOPS|
Jenkins|DEVOPS|
GitHub Actions|DEVOPS|GH Actions
GitLab CI|DEVOPS|GitLab CI/CD
CI/CD|DEVOPS|Continuous Integration, Continuous Delivery
Prometheus|DEVOPS|
Grafana|DEVOPS|
Linux|DEVOPS|GNU/Linux
Nginx|DEVOPS|
Site Reliability Engineering|DEVOPS|SRE
Apache Kafka|DATA|Kafka
Apache Spark|DATA|Spark, PySpark
Apache Airflow|DATA|Airflow
dbt|DATA|data build tool
Hadoop|DATA|Apache Hadoop, HDFS
ETL|DATA|Extract Transform Load, ELT
Data Warehousing|DATA|DWH, Data Warehouse
Data Modeling|DATA|Data Modelling
Tableau|DATA|
Power BI|DATA|PowerBI
Looker|DATA|
Machine Learning|AI_ML|ML
Deep Learning|AI_ML|DL
TensorFlow|AI_ML|TF2
PyTorch|AI_ML|Torch
scikit-learn|AI_ML|sklearn, Scikit Learn
Natural Language Processing|AI_ML|NLP
Computer Vision|AI_ML|CV
Large Language Models|AI_ML|LLM, LLMs
MLOps|AI_ML|ML Ops
Hugging Face Transformers|AI_ML|Transformers, HuggingFace
Statistics|AI_ML|Statistical Analysis
Git|TOOL|Version Control
Jira|TOOL|
Figma|DESIGN|
Sketch|DESIGN|
Adobe Photoshop|DESIGN|Photoshop, PS
Adobe Illustrator|DESIGN|Illustrator
UX Design|DESIGN|User Experience, UX
UI Design|DESIGN|User Interface Design, UI
Webpack|TOOL|
Vite|TOOL|ViteJS
Jest|TOOL|
Vitest|TOOL|
Cypress|TOOL|
Playwright|TOOL|
Selenium|TOOL|WebDriver
Postman|TOOL|
Storybook|TOOL|
Agile|METHODOLOGY|Agile Methodology
Scrum|METHODOLOGY|
Kanban|METHODOLOGY|
Test-Driven Development|METHODOLOGY|TDD
Domain-Driven Design|METHODOLOGY|DDD
Microservices|METHODOLOGY|Microservice Architecture
REST APIs|METHODOLOGY|REST, RESTful, RESTful APIs
Event-Driven Architecture|METHODOLOGY|EDA, Event Sourcing
System Design|METHODOLOGY|Systems Design, Software Architecture
Object-Oriented Programming|METHODOLOGY|OOP
Functional Programming|METHODOLOGY|FP
DevOps|METHODOLOGY|Dev Ops
Application Security|SECURITY|AppSec
OAuth 2.0|SECURITY|OAuth, OAuth2
OpenID Connect|SECURITY|OIDC
Penetration Testing|SECURITY|Pentesting, Pen Testing
OWASP|SECURITY|OWASP Top 10
Cryptography|SECURITY|Crypto
Identity and Access Management|SECURITY|IAM
Communication|SOFT_SKILL|Communication Skills
Leadership|SOFT_SKILL|Team Leadership
Mentoring|SOFT_SKILL|Coaching
Stakeholder Management|SOFT_SKILL|
Project Management|SOFT_SKILL|PM
Product Management|SOFT_SKILL|Product Ownership
Problem Solving|SOFT_SKILL|
Public Speaking|SOFT_SKILL|Presenting
Negotiation|SOFT_SKILL|
Technical Writing|SOFT_SKILL|Documentation
Recruiting|OTHER|Talent Acquisition, Recruitment
Accessibility|DESIGN|a11y, WCAG
Search Engine Optimization|OTHER|SEO
Blockchain|OTHER|Web3
Embedded Systems|OTHER|Embedded, Firmware
`;

/** Pairs that belong together beyond their category (a framework and its language, …). */
export const SKILL_RELATIONS: [string, string][] = [
  ['TypeScript', 'JavaScript'], ['React', 'JavaScript'], ['React', 'Redux'], ['React', 'Next.js'],
  ['React Native', 'React'], ['Angular', 'TypeScript'], ['Angular', 'RxJS'], ['Vue.js', 'Nuxt'],
  ['Svelte', 'JavaScript'], ['Node.js', 'JavaScript'], ['Express', 'Node.js'], ['NestJS', 'TypeScript'],
  ['Django', 'Python'], ['Flask', 'Python'], ['FastAPI', 'Python'], ['Pandas', 'Python'], ['NumPy', 'Python'],
  ['Spring Boot', 'Java'], ['Hibernate', 'Java'], ['Kotlin', 'Java'], ['Jetpack Compose', 'Kotlin'],
  ['Android', 'Kotlin'], ['iOS', 'Swift'], ['SwiftUI', 'Swift'], ['Ruby on Rails', 'Ruby'], ['Laravel', 'PHP'],
  ['ASP.NET Core', 'C#'], ['.NET', 'C#'], ['Phoenix', 'Elixir'], ['Elixir', 'Erlang'], ['Flutter', 'Dart'],
  ['Kubernetes', 'Docker'], ['Helm', 'Kubernetes'], ['Terraform', 'Amazon Web Services'],
  ['Prometheus', 'Grafana'], ['Apache Spark', 'Scala'], ['Apache Airflow', 'Python'], ['dbt', 'SQL'],
  ['PostgreSQL', 'SQL'], ['MySQL', 'SQL'], ['TensorFlow', 'Deep Learning'], ['PyTorch', 'Deep Learning'],
  ['scikit-learn', 'Machine Learning'], ['Large Language Models', 'Natural Language Processing'],
  ['Hugging Face Transformers', 'Large Language Models'], ['Apollo GraphQL', 'GraphQL'], ['Scrum', 'Agile'],
  ['Kanban', 'Agile'], ['OpenID Connect', 'OAuth 2.0'], ['UX Design', 'UI Design'], ['Figma', 'UI Design'],
  ['Sass', 'CSS'], ['Tailwind CSS', 'CSS'], ['Vitest', 'Vite'], ['Microservices', 'Docker'],
];
