package dev.tenantprovisioner.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The boundaries Maven's module graph cannot draw on its own. */
@AnalyzeClasses(packages = "dev.tenantprovisioner", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {

    static final String DOMAIN = "dev.tenantprovisioner.domain..";
    static final String IN_MEMORY = "dev.tenantprovisioner.adapters.inmemory..";
    static final String AWS = "dev.tenantprovisioner.adapters.aws..";
    static final String RESEND = "dev.tenantprovisioner.adapters.resend..";
    static final String POSTGRES = "dev.tenantprovisioner.adapters.postgres..";
    /** The welcome template every mailer renders: plain Java, inside the Resend adapter's module. */
    static final String TEMPLATE = "dev.tenantprovisioner.adapters.resend.template..";
    /** The HTTP API, whatever carries it: routes, JSON, the Stripe webhook, the core wiring. */
    static final String HTTP = "dev.tenantprovisioner.http..";

    static final String HTTP_WIRING = "dev.tenantprovisioner.http.wiring..";
    static final String LOCAL_ADAPTERS = "dev.tenantprovisioner.adapters.local..";
    static final String LAMBDA = "dev.tenantprovisioner.lambda..";
    static final String WIRING = "dev.tenantprovisioner.lambda.wiring..";
    /** The local runner: its own wiring around the same HTTP API. */
    static final String LOCAL_RUNNER = "dev.tenantprovisioner.local..";

    @ArchTest
    static final ArchRule domainDependsOnJavaOnly = classes()
            .that()
            .resideInAPackage(DOMAIN)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(DOMAIN, "java..")
            .because("the domain is plain Java: no framework, SDK or Lambda type may leak in");

    @ArchTest
    static final ArchRule modelKnowsNothingOfTheRest = noClasses()
            .that()
            .resideInAPackage("dev.tenantprovisioner.domain.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.tenantprovisioner.domain.spi..", "dev.tenantprovisioner.domain.usecase..");

    @ArchTest
    static final ArchRule driveninterfacesDoNotKnowTheUseCases = noClasses()
            .that()
            .resideInAPackage("dev.tenantprovisioner.domain.spi..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.tenantprovisioner.domain.usecase..");

    @ArchTest
    static final ArchRule inMemoryAdaptersDependOnDomainOnly = classes()
            .that()
            .resideInAPackage(IN_MEMORY)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(IN_MEMORY, DOMAIN, "java..");

    @ArchTest
    static final ArchRule localAdaptersDependOnDomainTheTemplateAndJdkOnly = classes()
            .that()
            .resideInAPackage(LOCAL_ADAPTERS)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(LOCAL_ADAPTERS, DOMAIN, TEMPLATE, "java..", "javax.net..", "com.sun.net.httpserver..")
            .because("the outbox renders the production welcome template, but nothing of the Resend SDK");

    @ArchTest
    static final ArchRule thePostgresAdapterKnowsTheDomainAndJdbcOnly = classes()
            .that()
            .resideInAPackage(POSTGRES)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(POSTGRES, DOMAIN, "java..", "javax.crypto..", "org.postgresql..");

    @ArchTest
    static final ArchRule theJdbcDriverOnlyInThePostgresAdapter = noClasses()
            .that()
            .resideOutsideOfPackage(POSTGRES)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.postgresql..");

    @ArchTest
    static final ArchRule theTemplateIsPlainJava = classes()
            .that()
            .resideInAPackage(TEMPLATE)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(TEMPLATE, "java..");

    @ArchTest
    static final ArchRule theHttpApiKnowsTheDomainButNoAdapterNorCarrier = classes()
            .that()
            .resideInAPackage(HTTP)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(HTTP, DOMAIN, "java..", "javax.crypto..", "com.google.inject..", "jakarta.inject..")
            .because("the HTTP API runs the same behind API Gateway and the local runner, on any adapters");

    @ArchTest
    static final ArchRule theLocalRunnerDoesNotKnowTheLambda = noClasses()
            .that()
            .resideInAPackage(LOCAL_RUNNER)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(LAMBDA, AWS, RESEND);

    @ArchTest
    static final ArchRule awsAdaptersDoNotKnowOtherAdapters = noClasses()
            .that()
            .resideInAnyPackage(AWS, RESEND, POSTGRES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(IN_MEMORY, LOCAL_ADAPTERS, LAMBDA, LOCAL_RUNNER, HTTP);

    @ArchTest
    static final ArchRule theLambdaDoesNotKnowTheLocalRunner = noClasses()
            .that()
            .resideInAPackage(LAMBDA)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(LOCAL_RUNNER, LOCAL_ADAPTERS, IN_MEMORY);

    @ArchTest
    static final ArchRule awsTechnologiesStayApart = slices().matching("dev.tenantprovisioner.adapters.aws.(*)..")
            .should()
            .notDependOnEachOther();

    @ArchTest
    static final ArchRule resendDoesNotKnowAws = noClasses()
            .that()
            .resideInAPackage(RESEND)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(AWS);

    @ArchTest
    static final ArchRule awsSdkOnlyInAwsAdaptersAndWiring = noClasses()
            .that()
            .resideOutsideOfPackages(AWS, WIRING)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("software.amazon.awssdk..");

    @ArchTest
    static final ArchRule resendOnlyInResendAdapterAndWiring = noClasses()
            .that()
            .resideOutsideOfPackages(RESEND, WIRING)
            .or()
            .resideInAPackage(TEMPLATE)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.resend..");

    @ArchTest
    static final ArchRule lambdaTypesOnlyInTheLambdaEntrypoint = noClasses()
            .that()
            .resideOutsideOfPackage(LAMBDA)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.amazonaws.services.lambda..");

    @ArchTest
    static final ArchRule guiceOnlyInWiring = noClasses()
            .that()
            .resideOutsideOfPackages(WIRING, HTTP_WIRING, LOCAL_RUNNER)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("com.google.inject..", "jakarta.inject..", "javax.inject..");

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("dev.tenantprovisioner.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule useCasesAreFinal = classes()
            .that()
            .resideInAPackage("dev.tenantprovisioner.domain.usecase..")
            .and()
            .haveSimpleNameNotEndingWith("Outcome")
            .and()
            .areTopLevelClasses()
            .and()
            .areNotInterfaces()
            .and()
            .areNotRecords()
            .and()
            .areNotEnums()
            .should()
            .haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL);
}
