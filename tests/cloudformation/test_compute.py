from iamlint.model import Reference


def test_compute_values_trace_access_keys(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          SecretParam: {Type: String, NoEcho: true}
        Resources:
          Key: {Type: AWS::IAM::AccessKey, Properties: {UserName: u}}
          Instance:
            Type: AWS::EC2::Instance
            Properties:
              UserData:
                Fn::Base64: !Sub |
                  export AWS_ACCESS_KEY_ID=${Key}
                  export AWS_SECRET_ACCESS_KEY=${Key.SecretAccessKey}
          Task:
            Type: AWS::ECS::TaskDefinition
            Properties:
              ContainerDefinitions:
                - Name: app
                  Environment:
                    - {Name: SECRET, Value: !Ref SecretParam}
        Outputs:
          Out: {Value: !GetAtt Key.SecretAccessKey}
        """
    )
    instance, task, output = inventory.compute
    (user_data,) = instance.values
    assert user_data.path == "UserData"
    assert user_data.location.line == 10
    assert user_data.references == (
        Reference("Key", "", via=("Fn::Base64", "Fn::Sub")),
        Reference("Key", "SecretAccessKey", via=("Fn::Base64", "Fn::Sub")),
    )
    assert "export AWS_SECRET_ACCESS_KEY=${Key.SecretAccessKey}" in user_data.text
    secret = next(v for v in task.values if v.path.endswith("SECRET"))
    assert secret.path == "ContainerDefinitions[0].Environment.SECRET"
    assert secret.references == (Reference("SecretParam", is_input=True),)
    assert (output.name, output.resource_type) == ("Out", "AWS::CloudFormation::Output")
    assert output.values[0].references == (Reference("Key", "SecretAccessKey"),)


def test_literals_keep_their_keys(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Environment:
                Variables:
                  aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
              Tags: [{Key: AccessKey, Value: AKIAIOSFODNN7EXAMPLE}]
        """
    )
    literals = {
        (lit.key, lit.value.text, lit.value.location.line, lit.resource)
        for lit in inventory.literals
    }
    assert (
        "aws_secret_access_key",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        8,
        "Fn",
    ) in literals
    assert ("AccessKey", "AKIAIOSFODNN7EXAMPLE", 9, "Fn") in literals
