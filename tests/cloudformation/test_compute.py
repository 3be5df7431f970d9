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


def test_compute_is_related_to_the_role_it_runs_as(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          AppRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: app
              AssumeRolePolicyDocument: {Statement: []}
          Profile:
            Type: AWS::IAM::InstanceProfile
            Properties: {Roles: [!Ref AppRole]}
          Named:
            Type: AWS::IAM::InstanceProfile
            Properties: {InstanceProfileName: web, Roles: [app]}
          Box:
            Type: AWS::EC2::Instance
            Properties: {IamInstanceProfile: !Ref Profile, ImageId: ami-1}
          Template:
            Type: AWS::EC2::LaunchTemplate
            Properties:
              LaunchTemplateData:
                IamInstanceProfile: {Arn: !GetAtt Named.Arn}
          Config:
            Type: AWS::AutoScaling::LaunchConfiguration
            Properties: {IamInstanceProfile: web, ImageId: ami-1}
          External:
            Type: AWS::EC2::Instance
            Properties: {IamInstanceProfile: declared-elsewhere}
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Role: !GetAtt AppRole.Arn}
          Task:
            Type: AWS::ECS::TaskDefinition
            Properties: {TaskRoleArn: arn:aws:iam::111122223333:role/task}
        """
    )
    assert {c.name: c.roles for c in inventory.compute} == {
        "Box": ("AppRole",),
        "Template": ("AppRole",),
        "Config": ("AppRole",),
        "Fn": ("AppRole",),
        "Task": ("arn:aws:iam::111122223333:role/task",),
    }
