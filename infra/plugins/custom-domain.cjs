// The stage's own host name (params domainName, certificateArn, optional hostedZoneId): QRadar
// clients pin a host, and the execute-api name changes whenever the API is recreated. With a
// domain, the API is mapped to it, its Route 53 alias record is written when the zone is given,
// and the execute-api endpoint is switched off, so that clients cannot come to depend on it.
// Without one, nothing is added and the execute-api address stays the way in. Generated only
// when set, rather than left in the template behind a condition: the template then carries no
// empty certificate for a linter or a reviewer to puzzle over.

'use strict';

class CustomDomain {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addDomain(),
    };
  }

  addDomain() {
    const { domainName, certificateArn, hostedZoneId } = this.serverless.service.custom?.stage ?? {};
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const api = template.Resources.HttpApi;
    if (!api || !template.Resources.HttpApiStage)
      throw new Error('custom-domain: no HTTP API in the template');
    template.Outputs.ServiceUrl = {
      Description: 'Where clients reach the API',
      Value: domainName ? `https://${domainName}` : { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] },
    };
    api.Properties.DisableExecuteApiEndpoint = Boolean(domainName);
    if (!domainName) return;
    if (!certificateArn) throw new Error('custom-domain: domainName needs certificateArn');
    Object.assign(template.Resources, {
      ApiDomainName: {
        Type: 'AWS::ApiGatewayV2::DomainName',
        Properties: {
          DomainName: domainName,
          DomainNameConfigurations: [
            { CertificateArn: certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
          ],
        },
      },
      ApiDomainMapping: {
        Type: 'AWS::ApiGatewayV2::ApiMapping',
        Properties: {
          DomainName: { Ref: 'ApiDomainName' },
          ApiId: { Ref: 'HttpApi' },
          Stage: { Ref: 'HttpApiStage' },
        },
      },
    });
    template.Outputs.ApiDomainTarget = {
      Description:
        'What a CNAME or alias record for the domain points at (written for you when hostedZoneId is set)',
      Value: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalDomainName'] },
    };
    if (!hostedZoneId) return;
    template.Resources.ApiDomainRecord = {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        HostedZoneId: hostedZoneId,
        Name: domainName,
        Type: 'A',
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalDomainName'] },
          HostedZoneId: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalHostedZoneId'] },
          EvaluateTargetHealth: false,
        },
      },
    };
  }
}

module.exports = CustomDomain;
